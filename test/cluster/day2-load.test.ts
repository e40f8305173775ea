/**
 * Day-2 operations under steady load (issue 23): requests at a fixed rate from this machine
 * through the ingress gateway to httpbin's sidecar, no retries, while an operator changes the
 * mesh. Each operation's sent / failed / longest run of failures is printed; none may fail.
 * The server has the usual preStop sleep, which the node runs as the kubelet does. Last,
 * `istio-charts install` takes the helm-installed control plane over and is re-run with
 * another profile, under the same load.
 */
import { upstreamEnvoyOperatorFile } from '../../src/cluster/istiod';
import { httpGet } from '../../src/cluster/http';
import { ingressRoute } from '../../src/cluster/samples';
import { chart } from '../support/helm';
import { cli, CliResult } from '../support/cli';
import { installIstio, mustHelm, mustHelmAsync, useControlPlane } from '../support/cluster';
import { eventually } from '../support/mesh';
import { HOST, httpbinBehindGateway, underLoad } from '../support/load';

let url = '';
const c = useControlPlane(async (c) => {
  await installIstio(c);
  mustHelm(c.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace', '--set', 'replicaCount=2', '--set', 'autoscaling.enabled=false', '--wait', '--timeout', '3m']);
  url = await httpbinBehindGateway(c, { namespace: 'istio-ingress', service: 'istio-ingress', selector: { istio: 'ingress' } });
});

const rollout = (namespace: string, name: string) => c.cluster.waitForRollout(namespace, name, 180_000);
const upgrade = (release: string, namespace: string, chartName: string, set: string[]) =>
  mustHelmAsync(c.cp, ['upgrade', release, chart(chartName), '-n', namespace, '--reuse-values', ...set, '--wait', '--timeout', '3m']);

test.each([
  ['helm upgrade of istiod with changed values (its pod rolls)', async () => {
    await upgrade('istiod', 'istio-system', 'istiod', ['--set-string', 'pilot.podAnnotations.example\\.com/rev=2']);
    await rollout('istio-system', 'istiod');
  }],
  ['helm upgrade of the gateway with changed values (its 2 pods roll)', async () => {
    await upgrade('istio-ingress', 'istio-ingress', 'gateway', ['--set-string', 'podAnnotations.example\\.com/rev=2']);
    await rollout('istio-ingress', 'istio-ingress');
  }],
  ['the gateway scaled from 2 to 1 (Envoy drains)', async () => {
    await upgrade('istio-ingress', 'istio-ingress', 'gateway', ['--set', 'replicaCount=1']);
    await rollout('istio-ingress', 'istio-ingress');
  }],
  ['the server Deployment rolling (inbound drain through its sidecar)', async () => {
    const restart = { spec: { template: { metadata: { annotations: { 'example.com/restarted': '1' } } } } };
    expect((await c.cp.api('PATCH', '/apis/apps/v1/namespaces/sample/deployments/httpbin', restart, 'application/merge-patch+json')).status).toBe(200);
    await rollout('sample', 'httpbin');
  }],
] as Array<[string, () => Promise<void>]>)('%s: no request lost', async (name, operation) => {
  const r = await underLoad(c, name, url, operation);
  expect(r.sent).toBeGreaterThanOrEqual(r.expected);
  expect(r).toMatchObject({ failed: 0 });
  expect(r.mesh).toMatchObject({ sent: 600, failed: 0 });
});

describe('istio-charts install over the helm-installed control plane, then re-run with another profile', () => {
  const installed = (r: CliResult) => {
    if (r.status !== 0) throw new Error(`istio-charts exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  };
  const install = (args: string[]) => cli(['install', '-f', upstreamEnvoyOperatorFile(), ...args, '-y'], { kubeconfig: c.cp.kubeconfig }).then(installed);

  test('install of the default profile takes over the base and istiod releases and adds istio-ingressgateway: no request through the first gateway lost', async () => {
    const r = await underLoad(c, 'istio-charts install (default) over helm releases', url, () => install([]));
    expect(r.sent).toBeGreaterThanOrEqual(r.expected);
    expect(r).toMatchObject({ failed: 0 });
    expect(r.mesh).toMatchObject({ sent: 600, failed: 0 });
  });

  test('re-run with profile demo (istiod and istio-ingressgateway change, an egress gateway is added): no request through istio-ingressgateway lost', async () => {
    c.cp.apply(ingressRoute({ namespace: 'sample', name: 'httpbin-default-gateway', host: HOST, service: 'httpbin', port: 8000, selector: { istio: 'ingressgateway' } }));
    const viaDefault = `http://${await c.cluster.loadBalancerAddress('istio-system', 'istio-ingressgateway')}/status/200`;
    await eventually(async () => {
      const answer = await httpGet(viaDefault, HOST);
      if (answer.status !== 200) throw new Error(`istio-ingressgateway answered ${answer.status}`);
    }, 60_000);
    const before = (await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway')).metadata.generation;
    const r = await underLoad(c, 'istio-charts install --set profile=demo', viaDefault, () => install(['--set', 'profile=demo']));
    expect(r.sent).toBeGreaterThanOrEqual(r.expected);
    expect(r).toMatchObject({ failed: 0 });
    expect(r.mesh).toMatchObject({ sent: 600, failed: 0 });
    // it did change under the probe, and the egress gateway came
    expect((await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway')).metadata.generation).toBeGreaterThan(before);
    expect(await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istio-egressgateway')).toBeDefined();
  });
});
