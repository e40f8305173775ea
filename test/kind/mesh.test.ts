/**
 * The full mesh on a real cluster with running pods: the charts installed with --wait, two
 * workloads talking through their sidecars with mutual TLS, and ingress through the gateway.
 * Only under `npm run test:kind` (it installs into a real cluster): against $KUBECONFIG when
 * set, else a kind cluster it creates (needs Docker and kind); otherwise it skips, saying so
 * in one line.
 */
import { spawnSync } from 'child_process';
import { chart } from '../support/helm';
import { helmBinary, kubectlBinary } from '../../src/tools/helm';

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const KIND_CLUSTER = 'istio-charts-test';
const requested = process.env.ISTIO_CHARTS_KIND === '1';
const target = !requested ? undefined : process.env.KUBECONFIG ? 'kubeconfig' : has('docker', ['info']) && has('kind', ['version']) ? 'kind' : undefined;

if (!target) {
  console.log(
    requested
      ? 'kind tests skipped: no $KUBECONFIG, and Docker with kind is not available on this machine'
      : 'kind tests skipped: they install into a real cluster, run them with npm run test:kind',
  );
}

const run = (bin: string, args: string[], input?: string) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
};
const kubectl = (args: string[], input?: string) => run(kubectlBinary(), args, input);
const helm = (args: string[]) => run(helmBinary('v3'), args);

const APPS = `
apiVersion: v1
kind: Namespace
metadata: { name: mesh-test, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: httpbin, namespace: mesh-test }
---
apiVersion: v1
kind: Service
metadata: { name: httpbin, namespace: mesh-test, labels: { app: httpbin } }
spec: { selector: { app: httpbin }, ports: [{ name: http, port: 8000, targetPort: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpbin, namespace: mesh-test }
spec:
  selector: { matchLabels: { app: httpbin } }
  template:
    metadata: { labels: { app: httpbin } }
    spec:
      serviceAccountName: httpbin
      containers: [{ name: httpbin, image: docker.io/mccutchen/go-httpbin:v2.15.0, ports: [{ containerPort: 8080 }] }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sleep, namespace: mesh-test }
spec:
  selector: { matchLabels: { app: sleep } }
  template:
    metadata: { labels: { app: sleep } }
    spec:
      containers: [{ name: sleep, image: docker.io/curlimages/curl:8.11.1, command: [sleep, infinity] }]
`;

(target ? describe : describe.skip)(`the mesh on a real cluster (${target ?? 'none'})`, () => {
  beforeAll(() => {
    if (target === 'kind') run('kind', ['create', 'cluster', '--name', KIND_CLUSTER, '--wait', '5m']);
    helm(['upgrade', '--install', 'istio-base', chart('base'), '-n', 'istio-system', '--create-namespace', '--wait']);
    helm(['upgrade', '--install', 'istiod', chart('istiod'), '-n', 'istio-system', '--wait', '--timeout', '10m']);
    helm(['upgrade', '--install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace', '--set', 'service.type=ClusterIP', '--wait', '--timeout', '10m']);
    kubectl(['apply', '-f', '-'], APPS);
    kubectl(['-n', 'mesh-test', 'rollout', 'status', 'deployment/httpbin', 'deployment/sleep', '--timeout=10m']);
  }, 1_800_000);

  afterAll(() => {
    if (target === 'kind') run('kind', ['delete', 'cluster', '--name', KIND_CLUSTER]);
  }, 600_000);

  test('workload pods run with an istio-proxy', () => {
    const pods = JSON.parse(kubectl(['-n', 'mesh-test', 'get', 'pods', '-o', 'json'])).items;
    for (const p of pods) {
      const names = [...(p.spec.initContainers ?? []), ...p.spec.containers].map((c: any) => c.name);
      expect(names).toContain('istio-proxy');
    }
  });

  test('sleep reaches httpbin through the sidecars with mutual TLS', () => {
    const out = kubectl(['-n', 'mesh-test', 'exec', 'deploy/sleep', '-c', 'sleep', '--', 'curl', '-s', 'http://httpbin:8000/headers']);
    const headers = JSON.parse(out).headers;
    // the server-side proxy forwards the client's verified SPIFFE identity
    expect(String(headers['X-Forwarded-Client-Cert'])).toContain('spiffe://cluster.local/ns/mesh-test/sa/default');
  });

  test('the ingress gateway routes to httpbin', () => {
    kubectl(['apply', '-f', '-'], `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: web, namespace: mesh-test }
spec:
  selector: { istio: ingress }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: mesh-test }
spec:
  hosts: ['*']
  gateways: [web]
  http: [{ route: [{ destination: { host: httpbin, port: { number: 8000 } } }] }]
`);
    let status = '';
    for (let i = 0; i < 30 && status !== '200'; i++) {
      status = kubectl(['-n', 'mesh-test', 'exec', 'deploy/sleep', '-c', 'sleep', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://istio-ingress.istio-ingress/get']);
      if (status !== '200') spawnSync('sleep', ['2']);
    }
    expect(status).toBe('200');
  });
});
