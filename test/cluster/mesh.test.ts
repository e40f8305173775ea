/**
 * Traffic through real sidecars on the local cluster: pods created by Deployments, injected
 * by the real istiod with our templates, run by the node as processes, with upstream Envoy
 * carrying the requests. Each test names the mechanism it proves and fails when it breaks.
 */
import { spawnSync } from 'child_process';
import { httpbin, sleep, echo } from '../../src/cluster/samples';
import { createNamespace, installIstio, useControlPlane } from '../support/cluster';
import { clientCert, curl, eventually, requests } from '../support/mesh';

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster);
  await createNamespace(cluster.cp, 'mesh', { 'istio-injection': 'enabled' });
  await createNamespace(cluster.cp, 'legacy');
  cluster.cp.apply([httpbin({ namespace: 'mesh' }), sleep({ namespace: 'mesh' }), sleep({ namespace: 'legacy' })].join('\n---\n'));
  await cluster.cluster.waitForRollout('mesh', 'httpbin');
  await cluster.cluster.waitForRollout('mesh', 'sleep');
  await cluster.cluster.waitForRollout('legacy', 'sleep');
});

const fromSleep = (url: string, extra: string[] = []) => curl(c, 'mesh', 'app=sleep', 'sleep', url, extra);
const fromLegacy = (url: string) => curl(c, 'legacy', 'app=sleep', 'sleep', url);
const HTTPBIN = 'http://httpbin.mesh:8000';

afterEach(() => {
  // each test leaves no policy behind for the next
  const r = c.cp.kubectl(['delete', 'peerauthentications,authorizationpolicies,destinationrules,virtualservices', '--all', '-n', 'mesh', '--ignore-not-found', '--wait']);
  if (r.status !== 0) throw new Error(`cleaning up the mesh namespace: ${r.stderr}`);
});

test('the pods run with the injected proxy, SYNCED with istiod', async () => {
  const [pod] = await c.cluster.runningPods('mesh', 'app=httpbin');
  expect(pod.spec.initContainers[0].name).toBe('istio-init');
  expect([...pod.spec.initContainers, ...pod.spec.containers].map((x: any) => x.name)).toEqual(expect.arrayContaining(['istio-proxy', 'httpbin']));
  expect(pod.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
  // istiod's own view: every proxy connected and acked (queried inside istiod's pod, where the debug port is local)
  // SYNCED: every xDS type sent was acked (a NACK leaves the ack behind for good; a push still
  // in flight only for a moment, so the snapshot is retaken); with the three istiod settings for
  // upstream Envoy, nothing is rejected
  await eventually(async () => {
    const sync = await c.cluster.exec('istio-system', 'app=istiod', 'discovery', ['pilot-discovery', 'request', 'GET', '/debug/syncz']);
    expect(sync.code).toBe(0);
    const proxies = JSON.parse(sync.stdout.slice(sync.stdout.indexOf('[')));
    const mesh = proxies.filter((p: any) => /\.mesh$/.test(p.proxy));
    expect(mesh.map((p: any) => p.proxy.replace(/-[a-z0-9]+-[a-z0-9]+\.mesh$/, ''))).toEqual(expect.arrayContaining(['httpbin', 'sleep']));
    for (const p of mesh) {
      for (const type of ['cluster', 'listener', 'route', 'endpoint']) {
        expect([p.proxy, type, p[`${type}_acked`]]).toEqual([p.proxy, type, p[`${type}_sent`]]);
        expect(p[`${type}_sent`]).toBeTruthy();
      }
    }
  });
});

test('sleep -> httpbin crosses both sidecars with mutual TLS: the server sees the client SPIFFE ID', async () => {
  const r = await eventually(async () => {
    const x = await fromSleep(`${HTTPBIN}/headers`);
    expect(x.status).toBe(200);
    return x;
  });
  const cert = clientCert(r.body);
  expect(cert.uri).toBe('spiffe://cluster.local/ns/mesh/sa/sleep');
  expect(cert.by).toBe('spiffe://cluster.local/ns/mesh/sa/httpbin');
});

describe('PeerAuthentication', () => {
  const peerAuth = (mode: string) => c.cp.apply(JSON.stringify({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'mesh' }, spec: { mtls: { mode } } }));

  test('STRICT refuses plaintext from a pod without a sidecar, PERMISSIVE lets it through', async () => {
    peerAuth('STRICT');
    await eventually(async () => expect((await fromLegacy(`${HTTPBIN}/get`)).status).toBe(0));
    // the same request from inside the mesh still works: only mTLS is accepted (retried: the
    // inbound listener was just replaced, and a pooled connection to the old one may be closing)
    await eventually(async () => expect((await fromSleep(`${HTTPBIN}/get`)).status).toBe(200), 15_000);
    peerAuth('PERMISSIVE');
    const r = await eventually(async () => {
      const x = await fromLegacy(`${HTTPBIN}/headers`);
      expect(x.status).toBe(200);
      return x;
    });
    // plaintext arrived: there is no client certificate to forward
    expect(clientCert(r.body).uri).toBeUndefined();
  });
});

describe('AuthorizationPolicy', () => {
  const policy = (action: string) =>
    c.cp.apply(JSON.stringify({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'sleep', namespace: 'mesh' },
      spec: { selector: { matchLabels: { app: 'httpbin' } }, action, rules: [{ from: [{ source: { principals: ['cluster.local/ns/mesh/sa/sleep'] } }] }] },
    }));

  test("denying sleep's principal gives 403 from the server's sidecar; allowing it gives 200", async () => {
    policy('DENY');
    await eventually(async () => {
      const r = await fromSleep(`${HTTPBIN}/get`);
      expect(r.status).toBe(403);
      expect(r.body).toContain('RBAC: access denied');
    });
    policy('ALLOW');
    await eventually(async () => expect((await fromSleep(`${HTTPBIN}/get`)).status).toBe(200));
  });
});

describe('traffic management', () => {
  beforeAll(async () => {
    c.cp.apply([echo({ namespace: 'mesh', version: 'v1' }), echo({ namespace: 'mesh', version: 'v2', service: false })].join('\n---\n'));
    await c.cluster.waitForRollout('mesh', 'echo-v1');
    await c.cluster.waitForRollout('mesh', 'echo-v2');
  }, 360_000);

  const versions = (bodies: string[]) => bodies.map((b) => /ServiceVersion=(\S+)/.exec(b)?.[1] ?? 'none');
  const routing = (http: object[]) =>
    c.cp.apply([
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'echo', namespace: 'mesh' }, spec: { host: 'echo', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'echo', namespace: 'mesh' }, spec: { hosts: ['echo'], http } },
    ].map((o) => JSON.stringify(o)).join('\n---\n'));
  const to = (subset: string, weight?: number) => ({ destination: { host: 'echo', subset }, ...(weight === undefined ? {} : { weight }) });

  test('a VirtualService splits 80/20 between subsets, and routes by header exactly', async () => {
    routing([{ match: [{ headers: { 'x-version': { exact: 'v2' } } }], route: [to('v2')] }, { route: [to('v1', 80), to('v2', 20)] }]);
    await eventually(async () => expect(versions(await requests(c, 'mesh', 'app=sleep', 'sleep', 'http://echo', 5, ['-H', 'x-version: v2']))).toEqual(Array(5).fill('v2')));
    const split = versions(await requests(c, 'mesh', 'app=sleep', 'sleep', 'http://echo', 100));
    const v1 = split.filter((v) => v === 'v1').length;
    expect(split.filter((v) => v !== 'v1' && v !== 'v2')).toEqual([]);
    // 80 of 100 expected; binomial sd 4, so 65..95 fails only when the split is wrong
    expect(v1).toBeGreaterThanOrEqual(65);
    expect(v1).toBeLessThanOrEqual(95);
    expect(versions(await requests(c, 'mesh', 'app=sleep', 'sleep', 'http://echo', 10, ['-H', 'x-version: v2']))).toEqual(Array(10).fill('v2'));
  });

  test('scale-out: a third replica receives traffic without restarting the client (endpoints pushed over xDS)', async () => {
    c.cp.kubectl(['-n', 'mesh', 'scale', 'deployment/echo-v1', '--replicas=2']);
    await c.cluster.waitForRollout('mesh', 'echo-v1');
    routing([{ route: [to('v1')] }]);
    const [client] = await c.cluster.runningPods('mesh', 'app=sleep');
    const hostnames = async () => new Set((await requests(c, 'mesh', 'app=sleep', 'sleep', 'http://echo', 30)).map((b) => /Hostname=(\S+)/.exec(b)?.[1]));
    await eventually(async () => expect((await hostnames()).size).toBe(2));
    c.cp.kubectl(['-n', 'mesh', 'scale', 'deployment/echo-v1', '--replicas=3']);
    await c.cluster.waitForRollout('mesh', 'echo-v1');
    await eventually(async () => expect((await hostnames()).size).toBe(3));
    const [same] = await c.cluster.runningPods('mesh', 'app=sleep');
    expect(same.metadata.uid).toBe(client.metadata.uid);
    expect(same.status.containerStatuses[0].restartCount).toBe(0);
  });
});

describe('traffic capture', () => {
  test("istio-init writes the rules the pod's annotations ask for: an excluded outbound port bypasses Envoy", async () => {
    // a namespace of its own: connections the mesh namespace's sidecars keep open would carry the
    // earlier tests' policies until their listeners drain (Envoy keeps a draining filter chain 45 s)
    await createNamespace(c.cp, 'capture', { 'istio-injection': 'enabled' });
    c.cp.apply([httpbin({ namespace: 'capture' }), sleep({ namespace: 'capture' }), sleep({ namespace: 'capture', name: 'sleep-excluded', annotations: { 'traffic.sidecar.istio.io/excludeOutboundPorts': '8000' } })].join('\n---\n'));
    for (const d of ['httpbin', 'sleep', 'sleep-excluded']) await c.cluster.waitForRollout('capture', d);
    const [pod] = await c.cluster.runningPods('capture', 'app=sleep-excluded');
    const { netns } = (await c.cluster.podOnNode('capture', pod.metadata.name))!;
    const nat = spawnSync('ip', ['netns', 'exec', netns, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' }).stdout;
    expect(nat).toMatch(/-A ISTIO_OUTPUT -p tcp -m tcp --dport 8000 -j RETURN/);
    // the same request to the Service: captured, it leaves through Envoy with mTLS; excluded,
    // it goes out plaintext (kube-proxy's NAT takes it to the pod) and carries no client certificate
    const direct = await eventually(async () => {
      const x = await curl(c, 'capture', 'app=sleep-excluded', 'sleep', 'http://httpbin:8000/headers');
      expect(x.status).toBe(200);
      return x;
    });
    expect(clientCert(direct.body).uri).toBeUndefined();
    const captured = await eventually(async () => {
      const x = await curl(c, 'capture', 'app=sleep', 'sleep', 'http://httpbin:8000/headers');
      expect(x.status).toBe(200);
      return x;
    });
    expect(clientCert(captured.body).uri).toBe('spiffe://cluster.local/ns/capture/sa/sleep');
  });
});

describe('sidecar shapes', () => {
  test('a native sidecar (restartable init container) starts before the app, passes its startup probe, and carries mTLS', async () => {
    c.cp.apply(sleep({ namespace: 'mesh', name: 'sleep-native', annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } }));
    await c.cluster.waitForRollout('mesh', 'sleep-native');
    const [pod] = await c.cluster.runningPods('mesh', 'app=sleep-native');
    const proxy = pod.spec.initContainers.find((x: any) => x.name === 'istio-proxy');
    expect(proxy.restartPolicy).toBe('Always');
    const status = pod.status.initContainerStatuses.find((x: any) => x.name === 'istio-proxy');
    expect([status.started, status.ready, status.state.running !== undefined]).toEqual([true, true, true]);
    const r = await eventually(async () => {
      const x = await curl(c, 'mesh', 'app=sleep-native', 'sleep', `${HTTPBIN}/headers`);
      expect(x.status).toBe(200);
      return x;
    });
    expect(clientCert(r.body).uri).toBe('spiffe://cluster.local/ns/mesh/sa/sleep-native');
  });
});
