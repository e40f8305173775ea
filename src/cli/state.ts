/**
 * What the CLI reads about the Istio installs in a cluster: istiod Deployments (namespace,
 * revision, image tag, availability), Helm releases of our charts (decoded from Helm's release
 * Secrets, so no helm binary is needed), and whether a webhook's Service can answer.
 */
import { gunzipSync } from 'zlib';
import { Kube, getJson, listJson } from './kube';

export interface Istiod {
  readonly namespace: string;
  readonly name: string;
  readonly revision: string;
  readonly image: string;
  readonly tag: string;
  readonly available: boolean;
  readonly reason?: string;
}

export async function istiodDeployments(kube: Kube, timeoutMs?: number): Promise<Istiod[]> {
  const list = await listJson(kube, '/apis/apps/v1/deployments?labelSelector=' + encodeURIComponent('app=istiod'), timeoutMs);
  return list.map((d: any) => {
    const containers = d.spec?.template?.spec?.containers ?? [];
    const image: string = (containers.find((c: any) => c.name === 'discovery') ?? containers[0])?.image ?? '';
    const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1] ?? '';
    const cond = (d.status?.conditions ?? []).find((c: any) => c.type === 'Available');
    // a Deployment scaled to zero is Available (0 of 0) but serves nothing
    const ready = d.status?.readyReplicas ?? 0;
    const reason = cond && cond.status !== 'True' ? cond.message ?? cond.reason : !cond ? 'no Available condition yet' : ready === 0 ? `no ready replica (spec.replicas ${d.spec?.replicas ?? 1})` : undefined;
    return {
      namespace: d.metadata.namespace,
      name: d.metadata.name,
      revision: d.metadata.labels?.['istio.io/rev'] ?? 'default',
      image,
      tag,
      available: cond?.status === 'True' && ready > 0,
      reason,
    };
  }).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.revision.localeCompare(b.revision));
}

export interface HelmRelease {
  readonly namespace: string;
  readonly name: string;
  readonly revision: number;
  readonly status: string;
  readonly chart: string;
  readonly chartVersion: string;
  readonly appVersion: string;
}

/** Helm's storage: Secret data.release = base64(gzip(JSON)) (base64 once more in the API). */
export function decodeRelease(secret: any): HelmRelease | undefined {
  try {
    const raw = Buffer.from(Buffer.from(secret.data.release, 'base64').toString('utf8'), 'base64');
    const json = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
    return {
      namespace: secret.metadata.namespace,
      name: json.name,
      revision: json.version,
      status: json.info?.status ?? secret.metadata.labels?.status ?? '',
      chart: json.chart?.metadata?.name ?? '',
      chartVersion: json.chart?.metadata?.version ?? '',
      appVersion: json.chart?.metadata?.appVersion ?? '',
    };
  } catch {
    return undefined;
  }
}

/** Deployed Helm releases of the given charts (all namespaces); [] when Secrets cannot be listed. */
export async function helmReleases(kube: Kube, charts: readonly string[], timeoutMs?: number): Promise<HelmRelease[]> {
  let secrets: any[];
  try {
    secrets = await listJson(kube, '/api/v1/secrets?labelSelector=' + encodeURIComponent('owner=helm,status=deployed'), timeoutMs);
  } catch {
    return [];
  }
  return secrets
    .map(decodeRelease)
    .filter((r): r is HelmRelease => !!r && charts.includes(r.chart))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** Why a Service cannot answer a webhook, or undefined when it has a ready endpoint. */
export async function serviceProblem(kube: Kube, namespace: string, name: string): Promise<string | undefined> {
  const svc = await getJson(kube, `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
  if (!svc) return `Service ${namespace}/${name} does not exist`;
  if (svc.spec?.type === 'ExternalName') return undefined;
  const slices = await listJson(kube, `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?labelSelector=` + encodeURIComponent(`kubernetes.io/service-name=${name}`));
  const ready = slices.some((s: any) => (s.endpoints ?? []).some((e: any) => e.conditions?.ready !== false));
  return ready ? undefined : `Service ${namespace}/${name} has no ready endpoint`;
}
