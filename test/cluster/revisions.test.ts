/**
 * Canary revisions and revision tags on a real control plane: a values file written for
 * upstream's chart installs unchanged, and a second revision with a tag is served by its own
 * istiod, whose webhooks inject pods of namespaces labelled with the revision or the tag.
 */
import { join } from 'path';
import { waitForIstiod } from '../../src/cluster/istiod';
import { chart } from '../support/helm';
import { containerNames, createNamespace, dryRunPod, mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';

const c = useControlPlane(async (cluster) => {
  mustHelm(cluster.cp, ['install', 'istio-base', chart('base'), '-n', 'istio-system', '--create-namespace']);
  mustHelm(cluster.cp, ['install', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '-f', join(__dirname, 'values', 'my-config-values.yaml'), '--wait', '--timeout', '3m']);
  mustHelm(cluster.cp, ['install', 'istiod-canary', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '--set', 'revision=canary', '--set', 'revisionTags={prod}', '--wait', '--timeout', '3m']);
});

test('an upstream-style values file installs and its settings reach istiod', async () => {
  const istiod = await waitForIstiod(c.cp);
  expect(istiod.args).toContain('--log_output_level=default:info,ads:debug');
  expect(istiod.env).toMatchObject({ PILOT_ENABLE_STATUS: 'true', PILOT_TRACE_SAMPLING: '10' });
  const hpa = await c.cp.get('/apis/autoscaling/v2/namespaces/istio-system/horizontalpodautoscalers/istiod');
  expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 4]);
  const mesh = (await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio')).data.mesh;
  expect(mesh).toContain('accessLogFile: /dev/stdout');
});

describe('the canary revision, served by its own istiod', () => {
  beforeAll(async () => {
    c.istiod = await waitForIstiod(c.cp, { revision: 'canary' });
    await createNamespace(c.cp, 'by-revision', { 'istio.io/rev': 'canary' });
    await createNamespace(c.cp, 'by-tag', { 'istio.io/rev': 'prod' });
  }, 300_000);

  test('istiod-canary patched its own and the tag webhooks, and fails validation closed', async () => {
    for (const name of ['istio-sidecar-injector-canary', 'istio-revision-tag-prod']) {
      const mwc = await c.cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${name}`);
      expect([name, mwc.webhooks.every((w: any) => w.clientConfig.caBundle)]).toEqual([name, true]);
    }
    const vwc = await c.cp.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istio-validator-canary-istio-system');
    expect(vwc.webhooks[0].failurePolicy).toBe('Fail');
  });

  test('pods of an istio.io/rev=canary namespace get the canary proxy', async () => {
    const r = await dryRunPod(c.cp, 'by-revision', 'web');
    expect(r.status).toBe(201);
    expect(containerNames(r.body)).toContain('istio-proxy');
    expect(JSON.parse(r.body.metadata.annotations['sidecar.istio.io/status']).revision).toBe('canary');
  });

  test('pods of a namespace labelled with the tag are injected through the tag', async () => {
    const r = await dryRunPod(c.cp, 'by-tag', 'web');
    expect(r.status).toBe(201);
    expect(containerNames(r.body)).toContain('istio-proxy');
  });
});
