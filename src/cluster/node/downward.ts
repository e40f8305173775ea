/**
 * The downward API as the kubelet resolves it, for env (fieldRef, resourceFieldRef) and for
 * downwardAPI volumes. Label and annotation files use the kubelet's format: key="value" lines
 * with Go-quoted values, which pilot-agent unquotes.
 */
import { cpus, totalmem } from 'os';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parseQuantity } from './quantity';

export interface PodAddresses {
  readonly podIP: string;
  readonly hostIP: string;
}

/** Go's strconv.Quote for the ASCII the kubelet meets in labels and annotations. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function keyValueLines(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(map![k])}`)
    .join('\n');
}

/** A `fieldRef.fieldPath` of the pod, as text. */
export function fieldValue(pod: V1Pod, path: string, addr: PodAddresses): string {
  const md = pod.metadata!;
  const indexed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (indexed) return (indexed[1] === 'labels' ? md.labels : md.annotations)?.[indexed[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return md.name!;
    case 'metadata.namespace':
      return md.namespace!;
    case 'metadata.uid':
      return md.uid!;
    case 'metadata.labels':
      return keyValueLines(md.labels);
    case 'metadata.annotations':
      return keyValueLines(md.annotations);
    case 'spec.nodeName':
      return pod.spec!.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec!.serviceAccountName ?? 'default';
    case 'status.hostIP':
    case 'status.hostIPs':
      return addr.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return addr.podIP;
    default:
      throw new Error(`fieldRef ${path} is not supported by the local node`);
  }
}

/** A `resourceFieldRef` of one container; an unset limit is the node's capacity, as on a kubelet. */
export function resourceValue(pod: V1Pod, containerName: string | undefined, resource: string, divisor?: string): string {
  const all = [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers];
  const c: V1Container | undefined = all.find((x) => x.name === containerName) ?? pod.spec!.containers[0];
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const declared = c?.resources?.[kind]?.[name] ?? (kind === 'requests' ? c?.resources?.limits?.[name] : undefined);
  const node = name === 'cpu' ? cpus().length : name === 'memory' ? totalmem() : 0;
  const value = declared !== undefined ? parseQuantity(declared as string) : kind === 'requests' ? 0 : node;
  const d = divisor ? parseQuantity(divisor) : 1;
  return String(Math.ceil(value / d));
}
