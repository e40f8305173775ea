/**
 * hostPath volumes on the local node: where a node path lives on this machine, and the
 * kubelet's per-type checks. Kept apart from volumes.ts so it loads without a Kubernetes client.
 */
import { closeSync, mkdirSync, openSync, statSync } from 'fs';
import { dirname, join, posix } from 'path';

/** A volume whose required source is not there yet: the pod waits (ContainerCreating). */
export class VolumeNotReady extends Error {}

/**
 * Host paths that stay this machine's own rather than the node root's: the pods are processes of
 * this machine, so its /proc holds their PIDs and namespaces (the cni agent finds pods there),
 * /run/netns (= /var/run/netns) holds the pods' network namespaces that `ip netns` made, and
 * /sys and /dev describe the one kernel every pod shares. A copy of any of them would be empty.
 */
const MACHINE_PATHS = ['/proc', '/sys', '/dev', '/run/netns', '/var/run/netns'];

/** Where a hostPath lives on this machine: under the node root, or itself for MACHINE_PATHS. */
export function hostPathOnNode(nodeRoot: string, path: string): string {
  if (!posix.isAbsolute(path)) throw new Error(`hostPath ${JSON.stringify(path)} is not an absolute path`);
  const clean = posix.normalize(path).replace(/\/+$/, '') || '/';
  if (MACHINE_PATHS.some((m) => clean === m || clean.startsWith(`${m}/`))) return clean;
  return join(nodeRoot, clean);
}

/** Check (and for the *OrCreate types, create) a hostPath as the kubelet's volume plugin does. */
export function prepareHostPath(path: string, type: string, what: string): void {
  const kind = () => {
    try {
      const st = statSync(path);
      return st.isDirectory() ? 'Directory' : st.isFile() ? 'File' : st.isSocket() ? 'Socket' : st.isCharacterDevice() ? 'CharDevice' : st.isBlockDevice() ? 'BlockDevice' : 'other';
    } catch {
      return undefined;
    }
  };
  switch (type) {
    // unset: no check; the runtime makes a missing source a directory, as containerd does
    case '':
    case 'DirectoryOrCreate':
      if (!kind()) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (type && kind() !== 'Directory') throw new VolumeNotReady(`${what} exists but is not a directory`);
      return;
    case 'FileOrCreate':
      if (!kind()) {
        mkdirSync(dirname(path), { recursive: true });
        closeSync(openSync(path, 'a', 0o644));
      } else if (kind() !== 'File') throw new VolumeNotReady(`${what} exists but is not a file`);
      return;
    case 'Directory':
    case 'File':
    case 'Socket':
    case 'CharDevice':
    case 'BlockDevice': {
      const found = kind();
      if (found !== type) throw new VolumeNotReady(found ? `${what} is not a ${type} (it is a ${found})` : `${what} does not exist (type ${type})`);
      return;
    }
    default:
      throw new Error(`${what} has an unknown type ${JSON.stringify(type)}`);
  }
}
