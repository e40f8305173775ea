/**
 * One component = one helm release: `helm upgrade --install` with the plan's values (so a
 * second install upgrades), overlays through the post-renderer, the same kubeconfig and
 * context as the CLI's client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { loadAll } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import { InstallPlan, Release, helmPostRendererArgs, parseManifest } from '../../operator';
import { helm } from '../helm';
import { Kube } from '../kube';
import { chartDir } from '../paths';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * The objects of a release's manifest, as the install engine reads them (kinds, names, what to
 * wait on). js-yaml, not the \`yaml\` library the renderer uses: on base's 0.9 MB of CRDs it takes
 * a sixth of the time, and the names and kinds read here mean the same under either.
 */
export function manifestObjects(manifest: string): KubeObject[] {
  return (loadAll(manifest) as Array<KubeObject | null | undefined>).filter((o): o is KubeObject => !!o);
}

/** `Deployment/istio-system/istiod`, as the CLI names an object to the user. */
export const refOf = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Runs `fn` with the release's values (and overlays) written to files helm reads. */
async function withReleaseFiles<T>(release: Release, fn: (args: string[], env: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-charts-'));
  try {
    const values = join(dir, 'values.json');
    writeFileSync(values, JSON.stringify(release.values));
    let args = ['-f', values];
    let env: Record<string, string> = {};
    if (release.overlays.length) {
      const overlays = join(dir, 'overlays.json');
      writeFileSync(overlays, JSON.stringify(release.overlays));
      const post = helmPostRendererArgs(overlays);
      args = [...args, ...post.args];
      env = post.env;
    }
    return await fn(args, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Labels on the helm release (not on its objects) that let a later install find what an
 * earlier one of the same revision installed, and prune only that.
 */
export const COMPONENT_LABEL = 'istio-charts.io/component';
export const REVISION_LABEL = 'istio-charts.io/revision';
export const revisionLabel = (revision: string) => revision || 'default';

/**
 * Installs or upgrades the release and returns the objects it applied (the release's manifest,
 * from helm's own answer rather than a second `helm get manifest`). helm's waiting is off: the
 * caller waits, with progress.
 */
export async function applyRelease(kube: Kube, release: Release, revision: string): Promise<KubeObject[]> {
  const labels = `${COMPONENT_LABEL}=${release.component},${REVISION_LABEL}=${revisionLabel(revision)}`;
  const { stdout } = await withReleaseFiles(release, (args, env) =>
    helm(['upgrade', '--install', release.release, chartDir(release.chart), '-n', release.namespace, '--create-namespace', '--labels', labels, '-o', 'json', ...args, ...kube.helmFlags], { env }),
  );
  return manifestObjects((JSON.parse(stdout) as { manifest?: string }).manifest ?? '');
}

/**
 * Releases an earlier install of this revision made that the plan no longer has (a gateway
 * removed from the IstioOperator file, a component the new profile leaves out). Base is
 * shared by every revision and never pruned, as with istioctl; releases installed some other
 * way carry no labels and are never touched.
 */
export async function prunable(kube: Kube, plan: InstallPlan): Promise<Array<{ name: string; namespace: string }>> {
  const { stdout } = await helm(['list', '-A', '-o', 'json', '-l', `${REVISION_LABEL}=${revisionLabel(plan.revision)},${COMPONENT_LABEL}!=base`, ...kube.helmFlags]);
  const wanted = new Set(plan.releases.map((r) => `${r.namespace}/${r.release}`));
  return (JSON.parse(stdout || '[]') as Array<{ name: string; namespace: string }>).filter((r) => !wanted.has(`${r.namespace}/${r.name}`));
}

/** What installing the release would apply now, rendered by helm against the cluster without writing anything. */
export async function dryRunRelease(kube: Kube, release: Release): Promise<KubeObject[]> {
  const { stdout } = await withReleaseFiles(release, (args, env) =>
    helm(['upgrade', '--install', release.release, chartDir(release.chart), '-n', release.namespace, '--dry-run=server', '-o', 'json', ...args, ...kube.helmFlags], { env }),
  );
  return parseManifest((JSON.parse(stdout) as { manifest?: string }).manifest ?? '') as KubeObject[];
}

/** The objects of an installed release (empty when it is not installed). */
export async function installedObjects(kube: Kube, release: string, namespace: string): Promise<KubeObject[]> {
  try {
    const { stdout } = await helm(['get', 'manifest', release, '-n', namespace, ...kube.helmFlags]);
    return manifestObjects(stdout);
  } catch (e) {
    if (/not found/.test((e as Error).message)) return [];
    throw e;
  }
}


export interface InstalledRelease {
  name: string;
  namespace: string;
  chart: string;
  status: string;
  revision: string;
}

/** Helm releases of our charts (base, istiod, gateway, cni, ztunnel) anywhere in the cluster, in any state (helm v4 lists every state by default). */
export async function listReleases(kube: Kube): Promise<InstalledRelease[]> {
  const { stdout } = await helm(['list', '-A', '-o', 'json', ...kube.helmFlags]);
  const all = JSON.parse(stdout || '[]') as Array<{ name: string; namespace: string; chart: string; status: string; revision: string }>;
  return all.filter((r) => /^(base|istiod|gateway|cni|istio-cni|ztunnel)-\d/.test(r.chart));
}

/** The user-supplied values of an installed release. */
export async function releaseValues(kube: Kube, name: string, namespace: string): Promise<Record<string, unknown>> {
  const { stdout } = await helm(['get', 'values', name, '-n', namespace, '-o', 'json', ...kube.helmFlags]);
  return (JSON.parse(stdout || '{}') ?? {}) as Record<string, unknown>;
}
