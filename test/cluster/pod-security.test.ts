/**
 * Restricted by default: the apiserver's Pod Security admission admits istiod and a gateway in
 * namespaces enforcing `restricted` with the charts' default values, and injected workloads
 * under `baseline` once the CNI plugin (not istio-init's NET_ADMIN) captures their traffic.
 * Each admission is shown to hinge on what the chart sets by the same pod without it.
 */
import { chart } from '../support/helm';
import { create, createNamespace, dryRunPod, installIstio, mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';
import { waitForIstiod } from '../../src/cluster/istiod';

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };
const BASELINE = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'latest' };

const c = useControlPlane(async (cluster) => {
  await createNamespace(cluster.cp, 'istio-system', RESTRICTED);
  await installIstio(cluster);
  await createNamespace(cluster.cp, 'istio-ingress', RESTRICTED);
  mustHelm(cluster.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--wait', '--timeout', '3m']);
  // a second revision whose injected pods rely on the CNI plugin (no istio-init container)
  mustHelm(cluster.cp, ['install', 'istiod-cni', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '--set', 'revision=cni', '--set', 'pilot.cni.enabled=true', '--wait', '--timeout', '3m']);
  await waitForIstiod(cluster.cp, { revision: 'cni' });
});

/** The pod a Deployment creates, submitted as a server-side dry run (admission runs, nothing is stored). */
async function dryRunTemplate(namespace: string, deployment: string, change: (spec: any) => void = () => {}) {
  const d = await c.cp.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`);
  const spec = structuredClone(d.spec.template.spec);
  change(spec);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: `${deployment}-check-`, namespace, labels: d.spec.template.metadata.labels, annotations: d.spec.template.metadata.annotations }, spec };
  return create(c.cp, `/api/v1/namespaces/${namespace}/pods`, pod, true);
}

const message = (r: { body: any }) => String(r.body?.message ?? JSON.stringify(r.body));

test('istiod runs in a namespace enforcing restricted; without its seccompProfile the same pod is refused', async () => {
  const ns = await c.cp.get('/api/v1/namespaces/istio-system');
  expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  const d = await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');
  expect(d.status.readyReplicas).toBeGreaterThanOrEqual(1);
  expect((await dryRunTemplate('istio-system', 'istiod')).status).toBe(201);
  const without = await dryRunTemplate('istio-system', 'istiod', (spec) => delete spec.containers[0].securityContext.seccompProfile);
  expect(without.status).toBe(403);
  expect(message(without)).toMatch(/violates PodSecurity "restricted:latest": seccompProfile/);
});

test('a gateway runs in a namespace enforcing restricted, injected by istiod; without the pod seccompProfile it is refused', async () => {
  const d = await c.cp.get('/apis/apps/v1/namespaces/istio-ingress/deployments/istio-ingress');
  expect(d.status.readyReplicas).toBeGreaterThanOrEqual(1);
  const pods = await c.cp.get('/api/v1/namespaces/istio-ingress/pods');
  const running = pods.items.find((p: any) => p.status.phase === 'Running');
  // the admitted pod is the injected one: the proxy image istiod filled in for `image: auto`
  expect(running.spec.containers[0].image).toMatch(/proxyv2/);
  const without = await dryRunTemplate('istio-ingress', 'istio-ingress', (spec) => delete spec.securityContext.seccompProfile);
  expect(without.status).toBe(403);
  expect(message(without)).toContain('seccompProfile');
});

test('injected workloads: baseline admits them with the CNI plugin, and refuses istio-init (NET_ADMIN, NET_RAW)', async () => {
  await createNamespace(c.cp, 'apps-cni', { ...BASELINE, 'istio.io/rev': 'cni' });
  await createNamespace(c.cp, 'apps-init', { ...BASELINE, 'istio-injection': 'enabled' });
  const withCni = await dryRunPod(c.cp, 'apps-cni', 'app');
  expect([withCni.status, message(withCni)]).toEqual([201, expect.anything()]);
  const names = [...(withCni.body.spec.initContainers ?? []), ...withCni.body.spec.containers].map((x: any) => x.name);
  expect(names).toContain('istio-proxy');
  expect(names).toContain('istio-validation');
  expect(names).not.toContain('istio-init');
  const withInit = await dryRunPod(c.cp, 'apps-init', 'app');
  expect(withInit.status).toBe(403);
  expect(message(withInit)).toMatch(/violates PodSecurity "baseline:latest": non-default capabilities .*"NET_ADMIN", "NET_RAW"/);
});
