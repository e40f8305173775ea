/**
 * Traffic for the operations-under-load tests: httpbin behind a gateway, and the load probe
 * (src/cluster/load-probe.ts) run around an operation.
 */
import { LoadProbeReport, startLoadProbe } from '../../src/cluster/load-probe';
import { httpGet } from '../../src/cluster/http';
import { echo, httpbin, ingressRoute } from '../../src/cluster/samples';
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
  c.cp.apply(`${httpbin({ namespace: 'sample', replicas: 2, preStopSleepSeconds: 3 })}\n---\n${ingressRoute({ namespace: 'sample', name: 'httpbin', host: HOST, service: 'httpbin', port: 8000, selector: gateway.selector })}`);
  await c.cluster.waitForRollout('sample', 'httpbin');
  const url = `http://${await c.cluster.loadBalancerAddress(gateway.namespace, gateway.service)}/status/200`;
  await eventually(async () => {
    const r = await httpGet(url, HOST);
    if (r.status !== 200) throw new Error(`the gateway answered ${r.status}`);
  }, 60_000);
  // the client inside the mesh: Istio's echo app, whose `client` sends through its sidecar
  c.cp.apply(echo({ namespace: 'sample', app: 'client', version: 'v1', service: false }));
  await c.cluster.waitForRollout('sample', 'client-v1');
  return url;
}

const RATE = 20;

/** What the mesh client saw: requests sent, and how many failed (a non-200 status or an error). */
export interface MeshClientReport {
  readonly sent: number;
  readonly failed: number;
  readonly firstFailure?: string;
}

/** The window the mesh client covers: an operation must end within it. */
const MESH_CLIENT_SECONDS = 30;

/**
 * The load from inside the mesh: the echo client in pod client-v1 sends MESH_CLIENT_SECONDS of
 * requests at 20/s to httpbin through its sidecar (kept-alive connections, no retries; its
 * timeout bounds the whole run, as the echo client's timeout does).
 */
async function meshClient(c: Cluster): Promise<MeshClientReport> {
  const count = MESH_CLIENT_SECONDS * RATE;
  const [pod] = await c.cluster.runningPods('sample', 'app=client');
  const argv = ['client', 'http://httpbin.sample:8000/status/200', '--count', String(count), '--qps', String(RATE), '--timeout', `${MESH_CLIENT_SECONDS + 30}s`];
  const r = await c.cluster.execIn('sample', pod.metadata.name, 'app', argv, (MESH_CLIENT_SECONDS + 60) * 1000);
  const codes = [...r.stdout.matchAll(/^\[\d+\] StatusCode=(\d+)$/gm)].map((m) => m[1]);
  if (r.code === 0) {
    const bad = codes.filter((code) => code !== '200');
    return { sent: codes.length, failed: bad.length, firstFailure: bad[0] && `status ${bad[0]}` };
  }
  // on any error the client prints only the count and the first error
  const errors = /(\d+)\/(\d+) requests had errors; first error: (.*)/.exec(r.stderr);
  if (!errors) throw new Error(`the echo client failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return { sent: Number(errors[2]), failed: Number(errors[1]), firstFailure: errors[3] };
}

/**
 * Runs the operation under two loads at 20 requests/s: the probe from this machine through
 * `url` (a gateway), from 3 s before the operation to 5 s after, and the echo client inside the
 * mesh, from the same start for MESH_CLIENT_SECONDS. Prints and returns both reports, with
 * `expected`: the requests the host's probe should have sent in its time (less means something
 * blocked it, and the operation went unmeasured).
 */
export async function underLoad(
  c: Cluster,
  name: string,
  url: string,
  operation: () => Promise<void>,
): Promise<LoadProbeReport & { expected: number; mesh: MeshClientReport }> {
  const mesh = meshClient(c);
  mesh.catch(() => undefined);
  const probe = startLoadProbe({ url, host: HOST, ratePerSecond: RATE });
  const started = Date.now();
  let report: LoadProbeReport | undefined;
  try {
    await new Promise((r) => setTimeout(r, 3000));
    await operation();
    const seconds = (Date.now() - started) / 1000;
    if (seconds > MESH_CLIENT_SECONDS - 5) throw new Error(`${name} took ${seconds.toFixed(0)} s, longer than the mesh client's window`);
    await new Promise((r) => setTimeout(r, 5000));
  } finally {
    report = await probe.stop();
  }
  const probeSeconds = (Date.now() - started) / 1000;
  const host = { ...report, expected: Math.floor(probeSeconds * RATE * 0.9) };
  const inMesh = await mesh;
  console.log(
    `${name}: through the gateway sent ${host.sent} in ${probeSeconds.toFixed(1)} s, failed ${host.failed}, longest run of failures ${host.longestFailureRun}` +
      `${host.firstFailures.length ? ` (${host.firstFailures.join('; ')})` : ''}; sidecar to server sent ${inMesh.sent}, failed ${inMesh.failed}${inMesh.firstFailure ? ` (${inMesh.firstFailure})` : ''}`,
  );
  return { ...host, mesh: inMesh };
}

