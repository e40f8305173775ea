/**
 * CNI traffic capture on the local cluster's process node: istiod injects with
 * `pilot.cni.enabled=true` (istio-validation instead of istio-init), the cni chart's DaemonSet
 * runs install-cni as a process that chains istio-cni onto the node's own network, and the node
 * runs that chain for every pod it starts, as a container runtime does. The rules in a pod's
 * network namespace are then the plugin's, and requests through the sidecars carry mTLS.
 *
 * Ambient capture is not tried here: its cni agent hands pods to ztunnel, which cannot be built
 * from the registries this machine reaches.
 */
import { readFileSync, statSync } from 'fs';
import { join } from 'path';
import { KWOK_NODE } from '../../src/cluster/cluster';
import { waitFor } from '../../src/cluster/control-plane';
import { CURL_IMAGE, httpbin, sleep } from '../../src/cluster/samples';
import { containerNames, createNamespace, installIstio, useControlPlane } from '../support/cluster';
import { CNI_NAMESPACE, PRIVILEGED, chainedPlugins, installCniAgent, natRules } from '../support/cni';
import { clientCert, curl, eventually } from '../support/mesh';

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster, ['--set', 'pilot.cni.enabled=true']);
  await createNamespace(cluster.cp, CNI_NAMESPACE, PRIVILEGED);
  await installCniAgent(cluster);
  await createNamespace(cluster.cp, 'mesh', { 'istio-injection': 'enabled' });
  await createNamespace(cluster.cp, 'legacy');
  cluster.cp.apply([httpbin({ namespace: 'mesh' }), sleep({ namespace: 'mesh' }), sleep({ namespace: 'legacy' })].join('\n---\n'));
  for (const [ns, d] of [['mesh', 'httpbin'], ['mesh', 'sleep'], ['legacy', 'sleep']]) await cluster.cluster.waitForRollout(ns, d);
});

/** The node's view of the first running pod matching `selector` on the real node (a DaemonSet has one on the kwok node too). */
async function onNode(namespace: string, selector: string) {
  const [pod] = (await c.cluster.runningPods(namespace, selector)).filter((p) => p.spec.nodeName !== KWOK_NODE);
  if (!pod) throw new Error(`no running pod ${selector} in ${namespace} on the real node`);
  const node = await c.cluster.podOnNode(namespace, pod.metadata.name);
  if (!node) throw new Error(`${namespace}/${pod.metadata.name} does not run on the real node`);
  return { pod, node };
}

test("the cni DaemonSet's pod runs install-cni on the node, which installs the plugin and chains it onto the node's network", async () => {
  const { pod, node } = await onNode(CNI_NAMESPACE, 'k8s-app=istio-cni-node');
  expect(pod.spec.nodeName).toBe('local-node');
  expect(node.processes.map((p) => p.container)).toEqual(['install-cni']);
  expect(pod.status.containerStatuses[0].ready).toBe(true);
  // every node has its agent: the real node's runs, kwok's is simulated
  const ds = (await c.cp.get(`/apis/apps/v1/namespaces/${CNI_NAMESPACE}/daemonsets/istio-cni-node`)).status;
  expect([ds.desiredNumberScheduled, ds.numberReady]).toEqual([2, 2]);
  expect(chainedPlugins(c)).toEqual(['local-node', 'istio-cni']);
  const plugin = join(c.cluster.nodeRoot, 'opt/cni/bin/istio-cni');
  expect(statSync(plugin).mode & 0o111).toBeTruthy();
  // the plugin reaches the apiserver through the kubeconfig install-cni wrote from the pod's token
  const kubeconfig = readFileSync(join(c.cluster.nodeRoot, 'var/run/istio-cni/istio-cni-kubeconfig'), 'utf8');
  expect(kubeconfig).toContain(`server: https://${c.cp.netns.plan.kubernetesServiceIp}:443`);
});

test('an injected pod has istio-validation, no istio-init, and the nat rules the plugin wrote in its namespace', async () => {
  const { pod, node } = await onNode('mesh', 'app=httpbin');
  expect(containerNames(pod)).toEqual(expect.arrayContaining(['istio-validation', 'istio-proxy', 'httpbin']));
  expect(containerNames(pod)).not.toContain('istio-init');
  // istio-validation exits 0 only when its test connection was redirected
  expect(pod.status.initContainerStatuses.find((s: any) => s.name === 'istio-validation').state.terminated.exitCode).toBe(0);
  expect(node.cni?.plugins).toEqual(['istio-cni']);
  const nat = natRules(node.netns);
  for (const chain of ['ISTIO_INBOUND', 'ISTIO_IN_REDIRECT', 'ISTIO_OUTPUT', 'ISTIO_REDIRECT']) expect(nat).toContain(`:${chain} `);
  expect(nat).toMatch(/-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001/);
});

test('a pod in a namespace without injection goes through the plugin and gets no rules', async () => {
  const { pod, node } = await onNode('legacy', 'app=sleep');
  expect(containerNames(pod)).toEqual(['sleep']);
  expect(node.cni?.plugins).toEqual(['istio-cni']);
  expect(natRules(node.netns)).not.toContain('ISTIO');
});

test("a hostNetwork pod runs in the node's network namespace, with the node's address and no CNI call", async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-host', namespace: 'legacy' }, spec: { hostNetwork: true, terminationGracePeriodSeconds: 1, containers: [{ name: 'sleep', image: CURL_IMAGE, command: ['/bin/sleep', 'infinity'] }] } };
  c.cp.apply(JSON.stringify(pod));
  await waitFor('pod legacy/on-host running', 60_000, async () => ((await c.cp.get('/api/v1/namespaces/legacy/pods/on-host'))?.status?.phase === 'Running' ? true : undefined));
  const status = (await c.cp.get('/api/v1/namespaces/legacy/pods/on-host')).status;
  expect([status.podIP, status.hostIP]).toEqual([c.cp.netns.address, c.cp.netns.address]);
  const node = (await c.cluster.podOnNode('legacy', 'on-host'))!;
  expect(node.netns).toBe(c.cp.netns.name);
  expect(node.cni).toBeUndefined();
  // the interfaces its process sees are the node's: the veth ends of every pod
  const dev = await c.cluster.execIn('legacy', 'on-host', 'sleep', ['sh', '-c', 'cat /proc/net/dev']);
  expect(dev.stdout).toMatch(/^\s*vp\d+:/m);
});

test("sleep -> httpbin's Service carries mTLS (the server sees the client's SPIFFE id); under STRICT plaintext is refused", async () => {
  const r = await eventually(async () => {
    const x = await curl(c, 'mesh', 'app=sleep', 'sleep', 'http://httpbin.mesh:8000/headers');
    expect(x.status).toBe(200);
    return x;
  });
  expect(clientCert(r.body).uri).toBe('spiffe://cluster.local/ns/mesh/sa/sleep');
  c.cp.apply(JSON.stringify({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'mesh' }, spec: { mtls: { mode: 'STRICT' } } }));
  await eventually(async () => expect((await curl(c, 'legacy', 'app=sleep', 'sleep', 'http://httpbin.mesh:8000/get')).status).toBe(0));
  // (retried: the inbound listener was just replaced, and a pooled connection may be closing)
  await eventually(async () => expect((await curl(c, 'mesh', 'app=sleep', 'sleep', 'http://httpbin.mesh:8000/get')).status).toBe(200), 15_000);
});
