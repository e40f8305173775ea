/**
 * The cni agent on the local cluster's process node, for the tests that install it: its
 * privileged namespace, the install that waits until install-cni has chained its plugin, and
 * what the node's network config and a pod's namespace then hold.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { waitFor } from '../../src/cluster/control-plane';
import { Cluster, mustHelm } from './cluster';
import { chart } from './helm';

/** The agent's own namespace, the one that allows privileged pods (istio-system needs none). */
export const CNI_NAMESPACE = 'istio-cni';
export const PRIVILEGED = { 'pod-security.kubernetes.io/enforce': 'privileged' };

/** The plugin types of the node's network config (the conflist the node wrote, as install-cni left it). */
export function chainedPlugins(c: Cluster): string[] {
  const file = join(c.cluster.nodeRoot, 'etc/cni/net.d/10-local-node.conflist');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).plugins.map((p: { type: string }) => p.type) : [];
}

/** helm install of the cni chart into CNI_NAMESPACE (which must exist), waiting until the plugin is chained. */
export async function installCniAgent(c: Cluster, args: string[] = []): Promise<void> {
  mustHelm(c.cp, ['install', 'istio-cni', chart('cni'), '-n', CNI_NAMESPACE, '--wait', '--timeout', '3m', ...args]);
  // ready means install-cni wrote the plugin and its config: pods created from here on get the chain
  await waitFor('istio-cni chained onto the node network', 60_000, async () => (chainedPlugins(c).includes('istio-cni') ? true : undefined), () => c.cluster.logTail());
}

/** The nat table of a network namespace, as iptables-save prints it. */
export const natRules = (netns: string) => spawnSync('ip', ['netns', 'exec', netns, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' }).stdout;
