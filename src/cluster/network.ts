/**
 * A network namespace per control plane, joined to the host by a veth pair. The apiserver
 * must dial webhooks at a non-loopback address (EndpointSlices refuse 127/8), and the test
 * runner on the host must reach the apiserver and istiod: the namespace's end of the veth
 * gives both. Addresses come from TEST-NET-2 (198.51.100.0/24), a /30 per control plane.
 */
import { execFileSync, spawnSync } from 'child_process';

export interface Netns {
  /** `ip netns` name. */
  readonly name: string;
  /** Host end of the veth pair. */
  readonly hostInterface: string;
  readonly hostAddress: string;
  /** The namespace's own address: apiserver, istiod and the istiod EndpointSlice use it. */
  readonly address: string;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Fails with the reason when this machine cannot create network namespaces. */
export function checkNetnsSupport(): void {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`the local control plane needs iproute2 and root (ip netns): ${r.error?.message ?? r.stderr.trim()}`);
  }
}

/** Create a namespace with a free /30; tries slots until one is unused. */
export function createNetns(): Netns {
  checkNetnsSupport();
  const start = process.pid % 60;
  for (let i = 0; i < 60; i++) {
    const slot = (start + i) % 60;
    const name = `icp-${slot}`;
    const hostInterface = `icph${slot}`;
    const base = slot * 4;
    const n: Netns = { name, hostInterface, hostAddress: `198.51.100.${base + 1}`, address: `198.51.100.${base + 2}` };
    try {
      ip(['netns', 'add', name]);
    } catch {
      continue; // taken by another run
    }
    try {
      ip(['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      ip(['addr', 'add', `${n.hostAddress}/30`, 'dev', hostInterface]);
      ip(['link', 'set', hostInterface, 'up']);
      ip(['-n', name, 'link', 'set', 'lo', 'up']);
      ip(['-n', name, 'addr', 'add', `${n.address}/30`, 'dev', 'eth0']);
      ip(['-n', name, 'link', 'set', 'eth0', 'up']);
      return n;
    } catch (e) {
      deleteNetns(n);
      throw e;
    }
  }
  throw new Error('no free network namespace slot (icp-0..icp-59 all exist; remove stale ones with `ip netns del`)');
}

/** Remove the namespace and the host end of its veth (the peer goes with the namespace). */
export function deleteNetns(n: Netns): void {
  spawnSync('ip', ['link', 'del', n.hostInterface], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', n.name], { stdio: 'ignore' });
}
