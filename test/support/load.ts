/**
 * Traffic for the operations-under-load tests: httpbin behind a gateway, and the load probe
 * (src/cluster/load-probe.ts) run around an operation.
 */
import { LoadProbeReport, startLoadProbe } from '../../src/cluster/load-probe';
import { httpGet } from '../../src/cluster/http';
import { httpbin, ingressRoute } from '../../src/cluster/samples';
import type { HelmMajor } from '../../src/tools/helm';
import { Cluster } from './cluster';
import { eventually } from './mesh';

/** The virtual host the probe asks the gateway for. */
export const HOST = 'httpbin.example.com';

/**
 * httpbin (2 replicas) in namespace `sample` (injected), routed from the gateway pods that
 * `selector` picks; returns the URL through the gateway Service's LoadBalancer address, once it
 * answers. httpbin has the usual preStop sleep: it keeps serving for 3 s after its pod is
 * deleted, until the gateways have dropped its endpoint (without it the app exits at once and
 * requests routed to it meanwhile fail, on any cluster).
 */
export async function httpbinBehindGateway(c: Cluster, gateway: { namespace: string; service: string; selector: Record<string, string> }): Promise<string> {
  c.cp.apply(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample', labels: { 'istio-injection': 'enabled' } } }));
  c.cp.apply(`${httpbin({ namespace: 'sample', replicas: 2 })}\n---\n${ingressRoute({ namespace: 'sample', name: 'httpbin', host: HOST, service: 'httpbin', port: 8000, selector: gateway.selector })}`);
  const preStop = { spec: { template: { spec: { containers: [{ name: 'httpbin', lifecycle: { preStop: { sleep: { seconds: 3 } } } }] } } } };
  const patched = await c.cp.api('PATCH', '/apis/apps/v1/namespaces/sample/deployments/httpbin', preStop, 'application/strategic-merge-patch+json');
  if (patched.status !== 200) throw new Error(`patching httpbin: ${patched.status} ${JSON.stringify(patched.body)}`);
  await c.cluster.waitForRollout('sample', 'httpbin');
  const url = `http://${await c.cluster.loadBalancerAddress(gateway.namespace, gateway.service)}/status/200`;
  await eventually(async () => {
    const r = await httpGet(url, HOST);
    if (r.status !== 200) throw new Error(`the gateway answered ${r.status}`);
  }, 60_000);
  return url;
}

const RATE = 20;

/**
 * Runs the operation with the probe at 20 requests/s through `url`, from 3 s before it to 5 s
 * after; prints and returns the report, with `expected`: the requests the probe should have
 * sent in that time (less means something blocked it, and the operation went unmeasured).
 */
export async function underLoad(name: string, url: string, operation: () => Promise<void>): Promise<LoadProbeReport & { expected: number }> {
  const probe = startLoadProbe({ url, host: HOST, ratePerSecond: RATE });
  const started = Date.now();
  let report: LoadProbeReport | undefined;
  try {
    await new Promise((r) => setTimeout(r, 3000));
    await operation();
    await new Promise((r) => setTimeout(r, 5000));
  } finally {
    report = await probe.stop();
    console.log(`${name}: sent ${report.sent} in ${((Date.now() - started) / 1000).toFixed(1)} s, failed ${report.failed}, longest run of failures ${report.longestFailureRun}${report.firstFailures.length ? ` (${report.firstFailures.join('; ')})` : ''}`);
  }
  return { ...report, expected: Math.floor(((Date.now() - started) / 1000) * RATE * 0.9) };
}

/** helm that must succeed, run without blocking this process (the probe keeps sending). */
export async function helmUnderLoad(c: Cluster, args: string[], major: HelmMajor = 'v3'): Promise<void> {
  const r = await c.cp.helmAsync(args, major);
  if (r.status !== 0) throw new Error(`helm ${major} ${args.join(' ')} failed:\n${r.stderr}`);
}
