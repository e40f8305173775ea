/**
 * Transient connection errors are retried within a bound, and every error names the request:
 * a local HTTP server that resets its first connections stands in for an apiserver restarting.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { requestJsonOnce } from '../../src/cluster/http';
import { describeRequest, isTransient, retryTransient } from '../../src/cluster/retry';
import { request } from '../../src/cli/kube';

/** A server on 127.0.0.1 that destroys the first `resets` connections without answering. */
async function flakyServer(resets: number): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let seen = 0;
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', path: req.url, method: req.method }));
  });
  server.on('connection', (socket) => {
    seen++;
    // a reset (RST), as a restarting server or a dropped keep-alive socket gives
    if (seen <= resets) socket.resetAndDestroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => seen, close: () => new Promise((r) => server.close(() => r())) };
}

const fast = { attempts: 5, totalMs: 10_000 };

test('two reset connections are retried and the third answers', async () => {
  const s = await flakyServer(2);
  try {
    const r = await retryTransient('GET /api/v1/namespaces', () => requestJsonOnce(`${s.url}/api/v1/namespaces`, { method: 'GET' }), fast);
    expect(r.status).toBe(200);
    expect(r.body.path).toBe('/api/v1/namespaces');
    expect(s.connections()).toBe(3);
  } finally {
    await s.close();
  }
});

test('resets beyond the bound fail with the request, object and tries named', async () => {
  const s = await flakyServer(100);
  try {
    const pod = { kind: 'Pod', metadata: { name: 'web', namespace: 'apps' } };
    const what = describeRequest('POST', '/api/v1/namespaces/apps/pods?dryRun=All', pod);
    expect(what).toBe('POST /api/v1/namespaces/apps/pods (Pod apps/web)');
    const e = await retryTransient(what, () => requestJsonOnce(`${s.url}/api/v1/namespaces/apps/pods`, { method: 'POST', body: pod }), { attempts: 3, totalMs: 10_000 }).catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/^POST \/api\/v1\/namespaces\/apps\/pods \(Pod apps\/web\): ((connect|read) ECONNRESET[ 0-9.:]*|socket hang up) \(connection failed 3 times in \d+\.\d s\)$/);
    expect(s.connections()).toBe(3);
  } finally {
    await s.close();
  }
});

test('a refused connection is retried until the server starts listening', async () => {
  // a port that is free now and listened on a moment later, as a server still starting
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  const late = http.createServer((_, res) => res.end('{"ok":true}'));
  const starting = setTimeout(() => late.listen(port, '127.0.0.1'), 400);
  try {
    let tries = 0;
    const r = await retryTransient('GET /readyz', () => (tries++, requestJsonOnce(`http://127.0.0.1:${port}/readyz`, { method: 'GET' })), fast);
    expect(r.body).toEqual({ ok: true });
    expect(tries).toBeGreaterThan(1);
  } finally {
    clearTimeout(starting);
    await new Promise<void>((r) => late.close(() => r()));
  }
});

test('an answer is never retried, and a non-transient error is named but not retried', async () => {
  let tries = 0;
  const e = await retryTransient('GET /x', async () => {
    tries++;
    throw Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
  }, fast).catch((x: Error) => x);
  expect([tries, (e as Error).message]).toEqual([1, 'GET /x: certificate has expired']);
  expect(isTransient(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
  expect(isTransient(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
  expect(isTransient(new Error('no answer within 30 s'))).toBe(false);
});

test("the CLI's request() retries a reset and names the request when it gives up", async () => {
  const s = await flakyServer(1);
  const kube = (server: string) => ({ config: { getCurrentCluster: () => ({ server }), applyToHTTPSOptions: async () => undefined } }) as any;
  try {
    const r = await request(kube(s.url), 'GET', '/api/v1/namespaces/istio-system');
    expect([r.status, s.connections()]).toEqual([200, 2]);
  } finally {
    await s.close();
  }
  const always = await flakyServer(100);
  try {
    const e = await request(kube(always.url), 'DELETE', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-sidecar-injector').catch((x: Error) => x);
    expect((e as Error).message).toMatch(/^DELETE \/apis\/admissionregistration\.k8s\.io\/v1\/mutatingwebhookconfigurations\/istio-sidecar-injector: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+: ((connect|read) ECONNRESET[ 0-9.:]*|socket hang up) \(connection failed 4 times/);
  } finally {
    await always.close();
  }
});
