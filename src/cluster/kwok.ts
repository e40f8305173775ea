/**
 * kwok for the pods this machine cannot run (images without a local stand-in, e.g. ztunnel):
 * it manages only the Nodes annotated for it, marks them Ready and plays their pods through
 * their lifecycle, with pod addresses from the cluster's kwok range that nothing routes. Such
 * pods are simulated: their workloads become Available, but no program runs.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { moduleDir } from '../tools/go';
import { KWOK_MODULE } from './binaries';
import type { ControlPlane } from './control-plane';
import { LocalProcess } from './processes';

export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** The stage definitions kwok needs (it refuses to start without), from its own module. */
function stages(): string {
  const base = join(moduleDir(KWOK_MODULE.path, KWOK_MODULE.version), 'kustomize', 'stage');
  const files = ['node/fast/node-initialize.yaml', 'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml', 'pod/fast/pod-ready.yaml', 'pod/fast/pod-complete.yaml', 'pod/fast/pod-delete.yaml'];
  return files.map((f) => readFileSync(join(base, f), 'utf8')).join('\n---\n');
}

export async function startKwok(cp: ControlPlane, nodeName: string): Promise<LocalProcess> {
  const config = join(cp.dir, 'kwok-stages.yaml');
  writeFileSync(config, stages());
  const plan = cp.netns.plan;
  const r = await cp.api('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
    spec: { podCIDR: plan.kwokPodCidr, podCIDRs: [plan.kwokPodCidr] },
  });
  if (r.status !== 201) throw new Error(`creating Node ${nodeName}: ${r.status} ${JSON.stringify(r.body)}`);
  return cp.spawn('kwok', cp.binaries.kwok, [
    `--kubeconfig=${cp.kubeconfig}`,
    `--config=${config}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--cidr=${plan.kwokPodCidr}`,
    // the node's own address, where the local node's kubelet API answers for its pods
    `--node-ip=${plan.kwokNodeAddress}`,
    '--server-address=127.0.0.1:10247',
    // renew the node's Lease, as a kubelet does: the heartbeat stage above writes the node's
    // status only every ten minutes, so without a lease the node controller marks the node
    // unknown after its grace period and every pod on it NotReady, which kwok never reverts
    '--node-lease-duration-seconds=40',
  ]);
}
