/**
 * The cluster's network: a node namespace joined to the host by a veth pair, and one
 * namespace per pod joined to the node namespace. The node namespace holds the control plane
 * (the apiserver must dial webhooks at a non-loopback address, as EndpointSlices refuse 127/8)
 * and is every pod's gateway; the host reaches pods and Services through routes to it, so the
 * node agent's probes, the DNS answers and a user's curl work from here. See addresses.ts.
 * Addresses are TEST-NET-2 only: the host's own networks are never touched.
 */
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AddressPlan, CLUSTER_RANGE, CLUSTER_SLOTS, DOCUMENTATION_RANGES, addressPlan, wholeRangePlan } from './addresses';

export interface Netns {
  /** `ip netns` name of the node namespace. */
  readonly name: string;
  /** Host end of the veth pair. */
  readonly hostInterface: string;
  readonly hostAddress: string;
  /** The node namespace's own address: apiserver, istiod's webhooks and the pods' gateway. */
  readonly address: string;
  readonly plan: AddressPlan;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Run a command inside a namespace; throws with its stderr. */
export function inNetns(netns: string, command: string, args: string[], input?: string): string {
  return execFileSync('ip', ['netns', 'exec', netns, command, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Fails with the reason when this machine cannot create network namespaces. */
export function checkNetnsSupport(): void {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`the local cluster needs iproute2 and root (ip netns): ${r.error?.message ?? r.stderr.trim()}`);
  }
}

/**
 * Refuse to route a range this host already uses for something else: an address of its own
 * or a route in TEST-NET-2 that is not one of ours would be cut off by the cluster's routes.
 */
function checkRangeIsFree(): void {
  const addrs = spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const routes = spawnSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const foreign = [...addrs.split('\n'), ...routes.split('\n')].filter((l) => /198\.51\.100\./.test(l) && !/icph\d|blackhole/.test(l));
  if (foreign.length > 0) {
    throw new Error(`the local cluster routes ${CLUSTER_RANGE} (RFC 5737 TEST-NET-2) between its namespaces, but this host already uses it:\n${foreign.join('\n')}`);
  }
}

/** Which process holds a slot: the node namespace has no process of its own for the first seconds. */
const ownerFile = (slot: number) => join(tmpdir(), `istio-charts-slot-${slot}.owner`);

/** Whether the run that created the slot is gone (its namespace may then be reclaimed). */
function ownerGone(slot: number): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(ownerFile(slot), 'utf8'));
  } catch {
    return true;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Take a slot: create its namespace (icp-<slot>), or reclaim one left by a run that was killed
 * (its creator is gone and no process lives in it). A run still setting its slot up has no
 * process in it yet, so the owner file decides.
 */
function claimSlot(slot: number): boolean {
  const name = `icp-${slot}`;
  const claim = () => {
    ip(['netns', 'add', name]);
    writeFileSync(ownerFile(slot), String(process.pid));
  };
  try {
    claim();
    return true;
  } catch {
    const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' });
    if (pids.status !== 0 || pids.stdout.trim() !== '' || !ownerGone(slot)) return false;
    deleteNetns({ name, hostInterface: `icph${slot}`, hostAddress: '', address: '', plan: addressPlan(slot) });
    try {
      claim();
      return true;
    } catch {
      return false;
    }
  }
}

/** Give back slots this run claimed (their namespaces hold nothing yet). */
function releaseSlots(slots: readonly number[]): void {
  for (const slot of slots) {
    spawnSync('ip', ['netns', 'del', `icp-${slot}`], { stdio: 'ignore' });
    rmSync(ownerFile(slot), { force: true });
  }
}

/**
 * Create the node namespace in the first free slot, or, with `wholeRange`, in slot 0 holding
 * every slot (the other slots' namespaces stay empty, so no other cluster starts meanwhile).
 */
export function createNetns(options: { wholeRange?: boolean } = {}): Netns {
  checkNetnsSupport();
  checkRangeIsFree();
  const candidates = options.wholeRange ? [wholeRangePlan()] : Array.from({ length: CLUSTER_SLOTS }, (_, slot) => addressPlan(slot));
  for (const plan of candidates) {
    const claimed: number[] = [];
    for (const slot of plan.slots) {
      if (!claimSlot(slot)) break;
      claimed.push(slot);
    }
    if (claimed.length < plan.slots.length) {
      releaseSlots(claimed);
      if (options.wholeRange) throw new Error(`a cluster on the whole of ${CLUSTER_RANGE} needs every slot (icp-0..icp-${CLUSTER_SLOTS - 1}), but another local cluster holds one: stop it first`);
      continue;
    }
    const slot = plan.slot;
    const name = `icp-${slot}`;
    const n: Netns = { name, hostInterface: `icph${slot}`, hostAddress: plan.hostAddress, address: plan.nodeAddress, plan };
    try {
      ip(['link', 'add', n.hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      ip(['addr', 'add', `${n.hostAddress}/30`, 'dev', n.hostInterface]);
      ip(['link', 'set', n.hostInterface, 'up']);
      ip(['-n', name, 'link', 'set', 'lo', 'up']);
      ip(['-n', name, 'addr', 'add', `${n.address}/30`, 'dev', 'eth0']);
      // the kwok node's address is the node's too: its kubelet API answers there (node/kubelet-api.ts)
      ip(['-n', name, 'addr', 'add', `${plan.kwokNodeAddress}/32`, 'dev', 'lo']);
      ip(['-n', name, 'link', 'set', 'eth0', 'up']);
      // the node forwards between pods, and from the host to pods and Services
      inNetns(name, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
      // nothing a pod sends leaves: the documentation ranges end here unless a pod owns the address
      for (const range of DOCUMENTATION_RANGES) ip(['-n', name, 'route', 'add', 'blackhole', range]);
      ip(['route', 'replace', plan.cidr, 'via', n.address, 'dev', n.hostInterface]);
      // and the rest of TEST-NET-2 is dropped on the host (more specific routes win)
      spawnSync('ip', ['route', 'add', 'blackhole', CLUSTER_RANGE, 'metric', '4000'], { stdio: 'ignore' });
      return n;
    } catch (e) {
      deleteNetns(n);
      throw e;
    }
  }
  throw new Error(`no free cluster slot: icp-0..icp-${CLUSTER_SLOTS - 1} all exist (at most ${CLUSTER_SLOTS} local clusters run at once; remove stale ones with \`ip netns del\`)`);
}

/** Remove the namespace, the host end of its veth (the peer goes with it) and the host routes. */
export function deleteNetns(n: Netns): void {
  spawnSync('ip', ['route', 'del', n.plan.cidr, 'via', n.address], { stdio: 'ignore' });
  spawnSync('ip', ['link', 'del', n.hostInterface], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', n.name], { stdio: 'ignore' });
  rmSync(ownerFile(n.plan.slot), { force: true });
  releaseSlots(n.plan.slots.filter((s) => s !== n.plan.slot));
  const listed = netnsNames();
  // pods' namespaces left by a run that died before stopping them, and whatever still runs there
  killPodProcesses(n);
  for (const name of listed) if (name.startsWith(`${n.name}-p`)) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  // the host's blackhole goes with the last cluster (node namespaces are icp-<slot>)
  if (!listed.some((name) => /^icp-\d+$/.test(name))) spawnSync('ip', ['route', 'del', 'blackhole', CLUSTER_RANGE, 'metric', '4000'], { stdio: 'ignore' });
}

function netnsNames(): string[] {
  return (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

/**
 * SIGKILL every process in the node's pod network namespaces; returns their PIDs. A container's
 * own process dies with the node agent (parent-death signal), but not what it started itself:
 * pilot-agent's Envoy outlives a killed node agent unless something ends it here.
 */
export function killPodProcesses(n: Netns): number[] {
  const killed: number[] = [];
  for (const name of netnsNames().filter((x) => x.startsWith(`${n.name}-p`))) {
    const pids = (spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        /* already gone */
      }
    }
  }
  return killed;
}

export interface PodNetwork {
  readonly netns: string;
  readonly address: string;
  /** The veth end in the node namespace. */
  readonly nodeInterface: string;
}

/**
 * A pod's namespace: eth0 with its /32, a link route to the node and a default route through
 * it; the node routes the /32 back over the veth. The node answers ARP for its own address on
 * every veth, so no address is needed on the node's ends.
 */
export function createPodNetwork(node: Netns, index: number, address: string): PodNetwork {
  const netns = `${node.name}-p${index}`;
  const nodeInterface = `vp${index}`;
  spawnSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  ip(['netns', 'add', netns]);
  try {
    ip(['-n', node.name, 'link', 'add', nodeInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    ip(['-n', node.name, 'link', 'set', nodeInterface, 'up']);
    ip(['-n', node.name, 'route', 'add', `${address}/32`, 'dev', nodeInterface]);
    ip(['-n', netns, 'link', 'set', 'lo', 'up']);
    ip(['-n', netns, 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
    ip(['-n', netns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', netns, 'route', 'add', node.address, 'dev', 'eth0', 'scope', 'link']);
    ip(['-n', netns, 'route', 'add', 'default', 'via', node.address, 'dev', 'eth0']);
  } catch (e) {
    deletePodNetwork(node, { netns, address, nodeInterface });
    throw e;
  }
  return { netns, address, nodeInterface };
}

export function deletePodNetwork(node: Netns, pod: PodNetwork): void {
  spawnSync('ip', ['-n', node.name, 'link', 'del', pod.nodeInterface], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', pod.netns], { stdio: 'ignore' });
}
