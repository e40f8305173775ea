/** The local node's kubelet rules, in isolation: command lines, env expansion, downward API, images, addresses. */
import { addressPlan, CLUSTER_SLOTS, wholeRangePlan } from '../../src/cluster/addresses';
import { commandLine, expand } from '../../src/cluster/node/container';
import { fieldValue, goQuote, resourceValue } from '../../src/cluster/node/downward';
import { parseQuantity } from '../../src/cluster/node/quantity';
import { parseImage, runnableImage } from '../../src/cluster/images';
import { runsHere } from '../../src/cluster/scheduler-extender';

const pod: any = {
  metadata: { name: 'web-1', namespace: 'apps', uid: 'u-1', labels: { app: 'web', 'x/y': 'a"b' }, annotations: { note: 'é' } },
  spec: { nodeName: 'local-node', serviceAccountName: 'web', containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '1500m', memory: '512Mi' } } }, { name: 'free', image: 'y' }] },
};

test('$(VAR) expands from earlier variables, $$ escapes, unknown references stay', () => {
  expect(expand('$(POD_NAMESPACE).svc.cluster.local', { POD_NAMESPACE: 'apps' })).toBe('apps.svc.cluster.local');
  expect(expand('$$(POD_NAMESPACE) $(MISSING)', { POD_NAMESPACE: 'apps' })).toBe('$(POD_NAMESPACE) $(MISSING)');
});

test('command and args combine with the image ENTRYPOINT/CMD as the kubelet does', () => {
  const image = { names: ['x'], standIn: '', entrypoint: ['/ep'], cmd: ['default'], files: [] };
  expect(commandLine({ name: 'c' }, image, {})).toEqual(['/ep', 'default']);
  expect(commandLine({ name: 'c', args: ['a'] }, image, {})).toEqual(['/ep', 'a']);
  expect(commandLine({ name: 'c', command: ['/bin/x'] }, image, {})).toEqual(['/bin/x']);
  expect(commandLine({ name: 'c', command: ['/bin/x'], args: ['$(A)'] }, image, { A: '1' })).toEqual(['/bin/x', '1']);
});

test('downward API: fields, labels as key="value" lines with Go quoting, resources with divisors and node capacity', () => {
  const addr = { podIP: '192.0.2.5', hostIP: '198.51.100.2' };
  expect(fieldValue(pod, 'metadata.name', addr)).toBe('web-1');
  expect(fieldValue(pod, "metadata.labels['app']", addr)).toBe('web');
  expect(fieldValue(pod, 'status.podIP', addr)).toBe('192.0.2.5');
  expect(fieldValue(pod, 'metadata.labels', addr)).toBe('app="web"\nx/y="a\\"b"');
  expect(goQuote('é')).toBe('"\\u00e9"');
  expect(() => fieldValue(pod, 'spec.bogus', addr)).toThrow(/spec\.bogus is not supported/);
  expect(resourceValue(pod, 'app', 'limits.cpu')).toBe('2'); // 1.5 cores rounds up
  expect(resourceValue(pod, 'app', 'limits.memory')).toBe(String(512 * 2 ** 20));
  expect(resourceValue(pod, 'app', 'limits.memory', '1Mi')).toBe('512');
  expect(Number(resourceValue(pod, 'free', 'limits.cpu'))).toBeGreaterThanOrEqual(1);
  expect(parseQuantity('100m')).toBeCloseTo(0.1);
  expect(() => parseQuantity('12parsecs')).toThrow(/not a Kubernetes quantity/);
});

test('images map by repository name on any hub; a pod runs here only if every image does', () => {
  expect(parseImage('docker.io/istio/proxyv2:1.31.4')).toEqual({ repository: 'docker.io/istio/proxyv2', name: 'proxyv2', tag: '1.31.4' });
  expect(parseImage('localhost:5000/app@sha256:abc')).toEqual({ repository: 'localhost:5000/app', name: 'app', tag: undefined });
  expect(runnableImage('gcr.io/istio-release/pilot:1.31.4')?.entrypoint).toEqual(['/usr/local/bin/pilot-discovery']);
  expect(runnableImage('docker.io/istio/ztunnel:1.31.4')).toBeUndefined();
  const injected = { spec: { initContainers: [{ image: 'docker.io/istio/proxyv2:1.31.4' }], containers: [{ image: 'docker.io/mccutchen/go-httpbin:v2.15.0' }] } };
  expect(runsHere(injected)).toBe(true);
  expect(runsHere({ spec: { containers: [{ image: 'nginx:1.27' }] } })).toBe(false);
});

test('every cluster slot stays inside TEST-NET-2 and owns disjoint node, pod, Service and LoadBalancer addresses', () => {
  const seen = new Set<string>();
  for (let s = 0; s < CLUSTER_SLOTS; s++) {
    const p = addressPlan(s);
    for (const a of [...p.podAddresses, ...p.loadBalancerAddresses, p.nodeAddress, p.hostAddress, p.kubernetesServiceIp, p.kwokPodCidr.split('/')[0]]) {
      expect(a).toMatch(/^198\.51\.100\.\d+$/);
      expect(seen.has(a)).toBe(false);
      seen.add(a);
    }
  }
  expect(() => addressPlan(CLUSTER_SLOTS)).toThrow(/outside/);
});

test('the whole-range plan holds every slot and gives each pool its own disjoint part of TEST-NET-2', () => {
  const p = wholeRangePlan();
  expect(p.slots).toEqual(Array.from({ length: CLUSTER_SLOTS }, (_, i) => i));
  const all = [...p.podAddresses, ...p.loadBalancerAddresses, p.nodeAddress, p.hostAddress, p.kubernetesServiceIp, p.kwokNodeAddress];
  expect(new Set(all).size).toBe(all.length);
  for (const a of all) expect(a).toMatch(/^198\.51\.100\.\d+$/);
  expect([p.podAddresses.length, p.loadBalancerAddresses.length]).toEqual([124, 32]);
  // Services (.192/26) and kwok's pods (.128/27) lie beyond the pods and LoadBalancer addresses
  const last = (a: string) => Number(a.split('.')[3]);
  expect(Math.max(...[...p.podAddresses, ...p.loadBalancerAddresses].map(last))).toBeLessThan(192);
  expect(p.loadBalancerAddresses.every((a) => last(a) >= 160)).toBe(true);
});
