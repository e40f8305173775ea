/** The node's hostPath volumes and its CNI chain, in isolation (a fake plugin stands in for istio-cni). */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CniError, NodeCni } from '../../src/cluster/node/cni';
import { VolumeNotReady, hostPathOnNode, prepareHostPath } from '../../src/cluster/node/host-path';
import { placePod } from '../../src/cluster/scheduler-extender';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'node-cni-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

test("a hostPath is the node root's path, except the machine's own /proc, /sys, /dev and /var/run/netns", () => {
  expect(hostPathOnNode('/n', '/opt/cni/bin/')).toBe('/n/opt/cni/bin');
  expect(hostPathOnNode('/n', '/var/run/istio-cni')).toBe('/n/var/run/istio-cni');
  expect(hostPathOnNode('/n', '/proc')).toBe('/proc');
  expect(hostPathOnNode('/n', '/var/run/netns')).toBe('/var/run/netns');
  expect(hostPathOnNode('/n', '/procfs')).toBe('/n/procfs');
  expect(() => hostPathOnNode('/n', 'etc/cni')).toThrow(/hostPath "etc\/cni" is not an absolute path/);
});

test('hostPath volumes are created or checked per type, as the kubelet does', () => {
  const node = (p: string) => join(root, 'node', p);
  prepareHostPath(node('opt/cni/bin'), 'DirectoryOrCreate', 'bin');
  prepareHostPath(node('run/x.lock'), 'FileOrCreate', 'lock');
  expect(statSync(node('opt/cni/bin')).isDirectory()).toBe(true);
  expect(statSync(node('run/x.lock')).isFile()).toBe(true);
  prepareHostPath(node('unset'), '', 'unset');
  expect(statSync(node('unset')).isDirectory()).toBe(true);
  expect(() => prepareHostPath(node('etc/cni/net.d'), 'Directory', 'hostPath /etc/cni/net.d')).toThrow(VolumeNotReady);
  expect(() => prepareHostPath(node('etc/cni/net.d'), 'Directory', 'hostPath /etc/cni/net.d')).toThrow(/hostPath \/etc\/cni\/net.d does not exist \(type Directory\)/);
  expect(() => prepareHostPath(node('run/x.lock'), 'Directory', 'lock')).toThrow(/lock is not a Directory \(it is a File\)/);
  expect(() => prepareHostPath(node('run/x.lock'), 'DirectoryOrCreate', 'lock')).toThrow(/lock exists but is not a directory/);
  expect(() => prepareHostPath(node('x'), 'Folder', 'hostPath /x')).toThrow(/hostPath \/x has an unknown type "Folder"/);
  prepareHostPath('/proc', 'Directory', 'proc');
});

test("a DaemonSet's pod that runs here for real is also simulated on the kwok nodes; other pods keep to one kind of node", () => {
  const placement = { realNodes: new Set(['local-node']), simulatedNodes: new Set(['kwok-node']) };
  const nodes = ['local-node', 'kwok-node'];
  const cniPod = (owner?: object) => ({ metadata: { ownerReferences: owner ? [owner] : [] }, spec: { containers: [{ image: 'docker.io/istio/install-cni:1.31.4' }] } });
  expect(placePod(cniPod({ kind: 'DaemonSet', controller: true }), nodes, placement).fits).toEqual(nodes);
  expect(placePod(cniPod({ kind: 'ReplicaSet', controller: true }), nodes, placement)).toEqual({ fits: ['local-node'], failed: { 'kwok-node': 'the pod runs for real on the local node' } });
  expect(placePod(cniPod(), nodes, placement).fits).toEqual(['local-node']);
  const unknown = { metadata: { ownerReferences: [{ kind: 'DaemonSet', controller: true }] }, spec: { containers: [{ image: 'docker.io/istio/ztunnel:1.31.4' }] } };
  // a DaemonSet's pod that cannot run here is simulated by the local node too (node/simulated.ts)
  expect(placePod(unknown, nodes, placement).fits).toEqual(nodes);
  expect(placePod({ ...unknown, metadata: {} }, nodes, placement).fits).toEqual(['kwok-node']);
});

describe('the CNI chain', () => {
  const ref = { namespace: 'mesh', name: 'web-1', uid: 'uid-1' };
  const attachment = { netns: 'icp-9-p1', address: '198.51.100.10' };

  /** A plugin that records its environment and stdin, then prints `result` (or fails). */
  function fakePlugin(cni: NodeCni, type: string, script: string): void {
    const out = join(root, `${type}.out`);
    writeFileSync(join(cni.paths.binDir, type), `#!/bin/sh\nenv > '${out}.env'\ncat > '${out}.stdin'\n${script}\n`);
    chmodSync(join(cni.paths.binDir, type), 0o755);
  }
  const recorded = (type: string) => ({ env: readFileSync(join(root, `${type}.out.env`), 'utf8'), stdin: JSON.parse(readFileSync(join(root, `${type}.out.stdin`), 'utf8')) });

  test('with only the node network, ADD runs nothing', async () => {
    const cni = new NodeCni(join(root, 'node'), '198.51.100.2', () => {});
    cni.writePrimaryConfig();
    expect((await cni.add(ref, attachment)).plugins).toEqual([]);
  });

  test("a chained plugin gets the spec's environment, the pod's K8S_ args and the node's result as prevResult; its result is passed on", async () => {
    const cni = new NodeCni(join(root, 'node'), '198.51.100.2', () => {});
    cni.writePrimaryConfig();
    const file = join(cni.paths.confDir, '10-local-node.conflist');
    const conflist = JSON.parse(readFileSync(file, 'utf8'));
    conflist.plugins.push({ type: 'first', marker: 1 }, { type: 'second' });
    writeFileSync(file, JSON.stringify(conflist));
    // a later file is not the network: runtimes take the first by name
    writeFileSync(join(cni.paths.confDir, '99-other.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'other', plugins: [{ type: 'never' }] }));
    fakePlugin(cni, 'first', `echo '{"cniVersion":"1.0.0","ips":[{"address":"198.51.100.10/32"}],"from":"first"}'`);
    fakePlugin(cni, 'second', `echo '{"cniVersion":"1.0.0"}'`);
    const added = await cni.add(ref, attachment);
    expect(added.plugins).toEqual(['first', 'second']);
    const first = recorded('first');
    expect(first.env).toContain('CNI_COMMAND=ADD');
    expect(first.env).toContain('CNI_NETNS=/var/run/netns/icp-9-p1');
    expect(first.env).toContain('CNI_IFNAME=eth0');
    expect(first.env).toMatch(/CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=mesh;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=[0-9a-f]{64};K8S_POD_UID=uid-1/);
    expect(first.stdin).toMatchObject({ type: 'first', marker: 1, name: 'local-node', cniVersion: '1.0.0' });
    expect(first.stdin.prevResult.ips).toEqual([{ address: '198.51.100.10/32', gateway: '198.51.100.2', interface: 0 }]);
    expect(recorded('second').stdin.prevResult.from).toBe('first');
    expect(existsSync(join(root, 'never.out.env'))).toBe(false);
    // DEL runs the chain backwards: the last plugin first
    mkdirSync(join(root, 'del'));
    fakePlugin(cni, 'first', `ls '${root}/del' > '${root}/del/first-saw'`);
    fakePlugin(cni, 'second', `touch '${root}/del/second'`);
    await cni.del(ref, attachment, added);
    expect(readFileSync(join(root, 'del/first-saw'), 'utf8')).toContain('second');
    expect(recorded('first').env).toContain('CNI_COMMAND=DEL');
  });

  test("a failing plugin's error object is the ADD's error, naming the plugin", async () => {
    const cni = new NodeCni(join(root, 'node'), '198.51.100.2', () => {});
    cni.writePrimaryConfig();
    const file = join(cni.paths.confDir, '10-local-node.conflist');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), plugins: [{ type: 'local-node' }, { type: 'istio-cni' }] }));
    await expect(cni.add(ref, attachment)).rejects.toThrow(/CNI ADD of plugin istio-cni .*: no program .*opt\/cni\/bin\/istio-cni/);
    fakePlugin(cni, 'istio-cni', `echo '{"code":999,"msg":"failed to get pod info"}'; exit 1`);
    const e = await cni.add(ref, attachment).catch((x) => x);
    expect(e).toBeInstanceOf(CniError);
    expect(e.message).toMatch(/CNI ADD of plugin istio-cni \(network local-node, .*\) failed \(exit 1\): error 999: failed to get pod info/);
  });
});
