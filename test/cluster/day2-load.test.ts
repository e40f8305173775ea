/**
 * Day-2 operations under steady load (issue 23): requests at a fixed rate from this machine
 * through the ingress gateway to httpbin's sidecar, no retries, while an operator changes the
 * mesh. Each operation's sent / failed / longest run of failures is printed; none may fail.
 * The server has the usual preStop sleep, which the node runs as the kubelet does.
 */
import { chart } from '../support/helm';
import { installIstio, mustHelm, useControlPlane } from '../support/cluster';
import { helmUnderLoad, httpbinBehindGateway, underLoad } from '../support/load';

let url = '';
const c = useControlPlane(async (c) => {
  await installIstio(c);
  mustHelm(c.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace', '--set', 'replicaCount=2', '--set', 'autoscaling.enabled=false', '--wait', '--timeout', '3m']);
  url = await httpbinBehindGateway(c, { namespace: 'istio-ingress', service: 'istio-ingress', selector: { istio: 'ingress' } });
});

const rollout = (namespace: string, name: string) => c.cluster.waitForRollout(namespace, name, 180_000);
const upgrade = (release: string, namespace: string, chartName: string, set: string[]) =>
  helmUnderLoad(c, ['upgrade', release, chart(chartName), '-n', namespace, '--reuse-values', ...set, '--wait', '--timeout', '3m']);

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
  const r = await underLoad(name, url, operation);
  expect(r.sent).toBeGreaterThanOrEqual(r.expected);
  expect(r).toMatchObject({ failed: 0 });
});
