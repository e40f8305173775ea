/** `npm start -- --once`: the main job runs end to end and cleans up after itself. */
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const npmStart = (...args: string[]) => spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'src', 'cli', 'start.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });

test('npm start -- --once installs the charts, sends requests across the mesh and through the ingress gateway, and exits 0', () => {
  const r = npmStart('--once');
  const out = r.stdout + r.stderr;
  expect(out).toMatch(/istio-charts install -f \S+istio-charts-upstream-envoy\.operator\.yaml -y/);
  // the default profile: no egress gateway
  expect(out).not.toContain('istio-egressgateway');
  expect(out).toMatch(/Istiod istiod \(istio-system\)/);
  expect(out).toMatch(/Installation complete/);
  expect(out).toMatch(/pod httpbin-\S+ at 198\.51\.100\.\d+: istio-init, (httpbin, istio-proxy|istio-proxy, httpbin)/);
  expect(out).toContain('the server\'s sidecar verified the client as spiffe://cluster.local/ns/sample/sa/sleep');
  expect(out).toMatch(/curl -H 'Host: httpbin\.example\.com' http:\/\/198\.51\.100\.\d+\/headers -> istio-ingressgateway -> mutual TLS -> httpbin's sidecar: HTTP 200/);
  // the look-inside commands it prints ran through the node's kubelet API
  expect(out).toMatch(/\$ kubectl logs -n sample deploy\/httpbin -c istio-proxy --tail=2\n {2}\S/);
  expect(out).toMatch(/\$ kubectl exec -n sample deploy\/sleep -c sleep -- curl -sS -o \/dev\/null -w '%\{http_code\}' http:\/\/httpbin\.sample:8000\/get\n {2}200\n/);
  // 1.31's table lists each connected proxy with the xDS types it subscribed to
  expect(out).toMatch(/\$ istioctl proxy-status\n {2}NAME .*\n( {2}.*\n)* {2}sleep-\S+\.sample .*\(CDS,LDS,EDS,RDS\)/);
  expect(out).toMatch(/\$ istioctl proxy-config endpoints sleep-\S+\.sample --cluster 'outbound\|8000\|\|httpbin\.sample\.svc\.cluster\.local'\n {2}ENDPOINT .*\n {2}198\.51\.100\.\d+:8080 +HEALTHY/);
  expect(out).toContain('==> Stopping the cluster');
  expect(r.status).toBe(0);
}, 600_000);

test('npm start -- --values <IstioOperator with spec.profile: demo> installs the demo profile, egress gateway included', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'start-demo-')), 'demo.yaml');
  writeFileSync(file, 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n');
  const r = npmStart('--once', '--values', file);
  const out = r.stdout + r.stderr;
  expect(out).toMatch(/istio-egressgateway/);
  expect(r.status).toBe(0);
}, 600_000);

test('a bad argument fails with a usage message, exit 2, and starts nothing', () => {
  const r = npmStart('--valuez', 'x');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('unknown argument --valuez');
  expect(r.stdout).not.toContain('kube-apiserver');
});

test('a bad value in a --values file fails before anything is built or started, exit 2, naming the key as written', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'start-bad-')), 'values.yaml');
  writeFileSync(file, 'pilot:\n  autoscaleMin: -1\n');
  const r = npmStart('--once', '--values', file);
  expect(r.stderr.trim()).toBe(`error: spec.values.pilot.autoscaleMin: must be at least 0, got -1 (in ${file})`);
  expect(r.stdout).not.toContain('Building');
  expect(r.status).toBe(2);
});
