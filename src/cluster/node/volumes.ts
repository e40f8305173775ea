/**
 * A pod's volumes as directories, filled the way the kubelet fills them: ConfigMaps, Secrets,
 * downward-API files and projected tokens (a TokenRequest bound to the pod, with its own
 * audience). Every volume is world-writable as an emptyDir is, so containers running as any
 * user can use it. ConfigMap and Secret contents are refreshed while the pod runs, so a
 * `helm upgrade` of mesh config reaches istiod's file watcher as on a real node.
 *
 * A hostPath volume is a directory of the node's own root (`<cluster dir>/node-root/<node>/`),
 * shared by every pod of the node, checked and created per its `type:` as the kubelet does;
 * the few paths that must be this machine's own (see MACHINE_PATHS) are used as they are.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import type { V1KeyToPath, V1Pod, V1Volume, V1VolumeProjection } from '@kubernetes/client-node';
import { KubeClients, statusOf } from '../kube';
import { PodAddresses, fieldValue, resourceValue } from './downward';
import { VolumeNotReady, hostPathOnNode, prepareHostPath } from './host-path';

export { VolumeNotReady };

type Files = Map<string, { data: Buffer; mode: number }>;

async function readSource(clients: KubeClients, kind: 'configmap' | 'secret', namespace: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer> | undefined> {
  try {
    if (kind === 'configmap') {
      const cm = await clients.core.readNamespacedConfigMap({ name, namespace });
      const out: Record<string, Buffer> = {};
      for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v);
      for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
      return out;
    }
    const s = await clients.core.readNamespacedSecret({ name, namespace });
    const out: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64');
    return out;
  } catch (e) {
    if (statusOf(e) === 404) {
      if (optional) return undefined;
      throw new VolumeNotReady(`${kind} ${namespace}/${name} not found`);
    }
    throw e;
  }
}

function addKeys(files: Files, data: Record<string, Buffer> | undefined, items: V1KeyToPath[] | undefined, mode: number, what: string): void {
  if (!data) return;
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) files.set(k, { data: v, mode });
    return;
  }
  for (const item of items) {
    if (!(item.key in data)) throw new VolumeNotReady(`${what} has no key ${item.key}`);
    files.set(item.path, { data: data[item.key], mode: item.mode ?? mode });
  }
}

export class PodVolumes {
  private readonly refreshable: V1Volume[] = [];

  constructor(
    private readonly clients: KubeClients,
    private readonly pod: V1Pod,
    private readonly addr: PodAddresses,
    /** Parent of one directory per volume. */
    readonly root: string,
    /** The node's root directory, where hostPath volumes live. */
    readonly nodeRoot: string,
  ) {}

  /** Where a volume's files are: its own directory, or for a hostPath the node's path. */
  dir(volume: string): string {
    const hostPath = this.pod.spec!.volumes?.find((v) => v.name === volume)?.hostPath;
    return hostPath ? hostPathOnNode(this.nodeRoot, hostPath.path) : join(this.root, volume);
  }

  /** Whether a volume is a hostPath (its mounts are the node's paths, not the pod's files). */
  isHostPath(volume: string): boolean {
    return !!this.pod.spec!.volumes?.find((v) => v.name === volume)?.hostPath;
  }

  /** Create and fill every volume; throws VolumeNotReady while a required source is missing. */
  async materialize(): Promise<void> {
    for (const v of this.pod.spec!.volumes ?? []) {
      if (v.hostPath) {
        // shared with the node and its other pods: never chmod'ed or filled here
        prepareHostPath(this.dir(v.name), v.hostPath.type ?? '', `hostPath ${v.hostPath.path} (volume ${v.name})`);
        continue;
      }
      const dir = this.dir(v.name);
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      if (v.configMap || v.secret || v.projected || v.downwardAPI) {
        this.write(dir, await this.filesOf(v));
        if (v.configMap || v.secret) this.refreshable.push(v);
      }
      // emptyDir stays empty; claims have no meaning on this node: an empty directory stands in
    }
  }

  /** Rewrite ConfigMap and Secret volumes whose contents changed (as the kubelet's sync does). */
  async refresh(): Promise<void> {
    for (const v of this.refreshable) {
      try {
        this.write(this.dir(v.name), await this.filesOf(v));
      } catch {
        /* keep the last contents, as the kubelet does */
      }
    }
  }

  private async filesOf(v: V1Volume): Promise<Files> {
    const ns = this.pod.metadata!.namespace!;
    const files: Files = new Map();
    if (v.configMap) {
      const data = await readSource(this.clients, 'configmap', ns, v.configMap.name!, v.configMap.optional);
      addKeys(files, data, v.configMap.items, v.configMap.defaultMode ?? 0o644, `configmap ${v.configMap.name}`);
    } else if (v.secret) {
      const data = await readSource(this.clients, 'secret', ns, v.secret.secretName!, v.secret.optional);
      addKeys(files, data, v.secret.items, v.secret.defaultMode ?? 0o644, `secret ${v.secret.secretName}`);
    } else if (v.downwardAPI) {
      for (const item of v.downwardAPI.items ?? []) files.set(item.path, { data: Buffer.from(this.downward(item)), mode: item.mode ?? v.downwardAPI.defaultMode ?? 0o644 });
    } else if (v.projected) {
      for (const source of v.projected.sources ?? []) await this.project(source, files, v.projected.defaultMode ?? 0o644);
    }
    return files;
  }

  private downward(item: { fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: string } }): string {
    if (item.fieldRef) return fieldValue(this.pod, item.fieldRef.fieldPath, this.addr);
    if (item.resourceFieldRef) return resourceValue(this.pod, item.resourceFieldRef.containerName, item.resourceFieldRef.resource, item.resourceFieldRef.divisor as string | undefined);
    return '';
  }

  private async project(source: V1VolumeProjection, files: Files, mode: number): Promise<void> {
    const ns = this.pod.metadata!.namespace!;
    if (source.serviceAccountToken) {
      const t = source.serviceAccountToken;
      const sa = this.pod.spec!.serviceAccountName ?? 'default';
      const r = await this.clients.core.createNamespacedServiceAccountToken({
        name: sa,
        namespace: ns,
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: {
            audiences: t.audience ? [t.audience] : [],
            expirationSeconds: t.expirationSeconds ?? 3607,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: this.pod.metadata!.name!, uid: this.pod.metadata!.uid! },
          },
        },
      });
      files.set(t.path, { data: Buffer.from(r.status!.token), mode: 0o644 });
    } else if (source.configMap) {
      addKeys(files, await readSource(this.clients, 'configmap', ns, source.configMap.name!, source.configMap.optional), source.configMap.items, mode, `configmap ${source.configMap.name}`);
    } else if (source.secret) {
      addKeys(files, await readSource(this.clients, 'secret', ns, source.secret.name!, source.secret.optional), source.secret.items, mode, `secret ${source.secret.name}`);
    } else if (source.downwardAPI) {
      for (const item of source.downwardAPI.items ?? []) files.set(item.path, { data: Buffer.from(this.downward(item)), mode: item.mode ?? mode });
    }
  }

  /** Write files that changed, each by rename so a reader never sees half a file. */
  private write(dir: string, files: Files): void {
    for (const [rel, f] of files) {
      const path = join(dir, rel);
      if (existsSync(path) && readFileSync(path).equals(f.data)) continue;
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, f.data, { mode: f.mode | 0o444 });
      renameSync(tmp, path);
    }
  }
}
