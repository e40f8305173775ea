/**
 * Day-2 operations under steady load (issue 23): requests at a fixed rate from this machine
 * through the ingress gateway to httpbin's sidecar, no retries, while an operator changes the
 * mesh. Each operation's sent / failed / longest run of failures is printed; none may fail.
 * The server has the usual preStop sleep, which the node runs as the kubelet does.
 */
import { LoadProbeReport, startLoadProbe } from '../../src/cluster/load-probe';
import { httpbin, ingressRoute } from '../../src/cluster/samples';
import { httpGet } from '../../src/cluster/http';
import { chart } from '../support/helm';
import { installIstio, mustHelm, useControlPlane } from '../support/cluster';
import { eventually } from '../support/mesh';

const HOST = 'httpbin.example.com';
const c = useControlPlane(async (c) => {
  await installIstio(c, ['--set', 'meshConfig.accessLogFile=/dev/stdout']);
  mustHelm(c.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace', '--set', 'replicaCount=2', '--set', 'autoscaling.enabled=false', '--wait', '--timeout', '3m']);
  c.cp.apply(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample', labels: { 'istio-injection': 'enabled' } } }));
  c.cp.apply(`${httpbin({ namespace: 'sample', replicas: 2 })}\n---\n${ingressRoute({ namespace: 'sample', name: 'httpbin', host: HOST, service: 'httpbin', port: 8000 })}`);
  // the server keeps serving for 3 s after its pod is deleted, until the gateways have dropped
  // its endpoint: without it, the app exits at once and the requests routed to it meanwhile fail
  const preStop = { spec: { template: { spec: { containers: [{ name: 'httpbin', lifecycle: { preStop: { sleep: { seconds: 3 } } } }] } } } };
  const patched = await c.cp.api('PATCH', '/apis/apps/v1/namespaces/sample/deployments/httpbin', preStop, 'application/strategic-merge-patch+json');
  if (patched.status !== 200) throw new Error(`patching httpbin: ${patched.status}`);
  await c.cluster.waitForRollout('sample', 'httpbin');
});

let url = '';
beforeAll(async () => {
  url = `http://${await c.cluster.loadBalancerAddress('istio-ingress', 'istio-ingress')}/status/200`;
  await eventually(async () => {
    const r = await httpGet(url, HOST);
    if (r.status !== 200) throw new Error(`the gateway answered ${r.status}`);
  }, 60_000);
}, 120_000);

const reports: Record<string, LoadProbeReport> = {};
afterAll(() => {
  for (const [op, r] of Object.entries(reports)) console.log(`${op}: sent ${r.sent}, failed ${r.failed}, longest run ${r.longestFailureRun}${r.firstFailures.length ? ` (${r.firstFailures.join('; ')})` : ''}`);
});

/** Runs the operation with the probe at 20/s from 3 s before to 5 s after it. */
async function underLoad(name: string, operation: () => Promise<void>): Promise<LoadProbeReport> {
  const probe = startLoadProbe({ url, host: HOST, ratePerSecond: 20 });
  await new Promise((r) => setTimeout(r, 3000));
  try {
    await operation();
    await new Promise((r) => setTimeout(r, 5000));
  } finally {
    reports[name] = await probe.stop();
  }
  return reports[name];
}

const rollout = (namespace: string, name: string) => c.cluster.waitForRollout(namespace, name, 180_000);
const restartAnnotation = (n: number) => JSON.stringify({ spec: { template: { metadata: { annotations: { 'example.com/restarted': String(n) } } } } });

test('helm upgrade of istiod with changed values (its pod rolls)', async () => {
  const r = await underLoad('istiod upgrade', async () => {
    mustHelm(c.cp, ['upgrade', 'istiod', chart('istiod'), '-n', 'istio-system', '--reuse-values', '--set-string', 'pilot.podAnnotations.example\\.com/rev=2', '--wait', '--timeout', '3m']);
    await rollout('istio-system', 'istiod');
  });
  expect(r.sent).toBeGreaterThan(100);
  expect(r).toMatchObject({ failed: 0 });
});

test('helm upgrade of the gateway with changed values (its 2 pods roll)', async () => {
  const r = await underLoad('gateway upgrade', async () => {
    mustHelm(c.cp, ['upgrade', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--reuse-values', '--set-string', 'podAnnotations.example\\.com/rev=2', '--wait', '--timeout', '3m']);
    await rollout('istio-ingress', 'istio-ingress');
  });
  expect(r.sent).toBeGreaterThan(100);
  expect(r).toMatchObject({ failed: 0 });
});

test('the gateway scaled from 2 to 1', async () => {
  const r = await underLoad('gateway 2 to 1', async () => {
    mustHelm(c.cp, ['upgrade', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--reuse-values', '--set', 'replicaCount=1', '--wait', '--timeout', '3m']);
    await rollout('istio-ingress', 'istio-ingress');
  });
  expect(r.sent).toBeGreaterThan(100);
  expect(r).toMatchObject({ failed: 0 });
});

test('the server Deployment rolling (inbound drain through its sidecar)', async () => {
  const r = await underLoad('server rollout', async () => {
    const r = await c.cp.api('PATCH', '/apis/apps/v1/namespaces/sample/deployments/httpbin', JSON.parse(restartAnnotation(1)), 'application/merge-patch+json');
    expect(r.status).toBe(200);
    await rollout('sample', 'httpbin');
  });
  expect(r.sent).toBeGreaterThan(100);
  expect(r).toMatchObject({ failed: 0 });
});
