/** `npm start -- --once`: the main job runs end to end and cleans up after itself. */
import { spawnSync } from 'child_process';
import { join } from 'path';

test('npm start -- --once installs the charts, sends requests across the mesh and through the ingress gateway, and exits 0', () => {
  const root = join(__dirname, '..', '..');
  const r = spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'src', 'cli', 'start.ts'), '--once'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  const out = r.stdout + r.stderr;
  expect(out).toContain('istio-charts install --set profile=default');
  expect(out).toMatch(/Istiod istiod \(istio-system\)/);
  expect(out).toMatch(/Installation complete/);
  expect(out).toMatch(/pod httpbin-\S+ at 198\.51\.100\.\d+: istio-init, (httpbin, istio-proxy|istio-proxy, httpbin)/);
  expect(out).toContain('the server\'s sidecar verified the client as spiffe://cluster.local/ns/sample/sa/sleep');
  expect(out).toMatch(/curl -H 'Host: httpbin\.example\.com' http:\/\/198\.51\.100\.\d+\/headers -> istio-ingressgateway -> mutual TLS -> httpbin's sidecar: HTTP 200/);
  expect(out).toContain('==> Stopping the cluster');
  expect(r.status).toBe(0);
}, 600_000);

test('a bad argument fails with a usage message and starts nothing', () => {
  const root = join(__dirname, '..', '..');
  const r = spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), [join(root, 'src', 'cli', 'start.ts'), '--valuez', 'x'], { cwd: root, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('unknown argument --valuez');
  expect(r.stdout).not.toContain('kube-apiserver');
});
