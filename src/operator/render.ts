/**
 * Rendering a plan: `helm template` of each release with its values (helm v4, the release's
 * name and namespace), the release's overlays applied, in plan order; and the objects as one
 * YAML stream.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import * as YAML from 'yaml';
import { helmPath } from '../tools/helm-path';
import { KubeObject, postRender } from './overlays';
import { InstallPlan, Release, planDocuments } from './plan';

const run = promisify(execFile);

/** The committed charts of this checkout. */
export const CHARTS_DIR = join(__dirname, '..', '..', 'charts');

/** Objects of a YAML stream (YAML 1.1, as Helm reads it); empty documents are dropped. */
export function parseManifest(text: string): KubeObject[] {
  return YAML.parseAllDocuments(text, { version: '1.1' })
    .map((d) => {
      if (d.errors.length) throw new Error(`invalid YAML in a manifest: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((o) => o !== null && o !== undefined);
}

/** `helm template` arguments for a release whose values are in `valuesFile`. */
export function templateArgs(r: Release, valuesFile: string, chartsDir = CHARTS_DIR): string[] {
  return ['template', r.release, join(chartsDir, r.chart), '-n', r.namespace, '-f', valuesFile];
}

/** Every release rendered and post-rendered, in plan order. */
export async function renderPlan(plan: InstallPlan, opts: { helm?: string; chartsDir?: string } = {}): Promise<KubeObject[]> {
  // $HELM, the dev helm v4 in a checkout, else helm on the PATH (the npm package has no dev tools)
  const helm = opts.helm ?? helmPath();
  const dir = mkdtempSync(join(tmpdir(), 'istio-charts-plan-'));
  try {
    const out: KubeObject[] = [];
    for (const [i, r] of plan.releases.entries()) {
      const file = join(dir, `${i}-${r.release}.json`);
      writeFileSync(file, JSON.stringify(r.values));
      let stdout: string;
      try {
        ({ stdout } = await run(helm, templateArgs(r, file, opts.chartsDir), { maxBuffer: 256 * 1024 * 1024 }));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`helm was not found (${helm}): put helm 3 or 4 on the PATH, or set HELM to its path`);
        const stderr = (e as { stderr?: string }).stderr?.trim();
        throw new Error(`helm template of release ${r.release} (chart ${r.chart}) failed: ${stderr || (e as Error).message}`);
      }
      out.push(...postRender(parseManifest(stdout), r.overlays));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** istioctl manifest generate's order: kind rank, then group, kind, name (stable). */
export function sortLikeIstioctl(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (k: string) =>
    ({ CustomResourceDefinition: -1000, ServiceAccount: 1, ClusterRole: 1, ClusterRoleBinding: 2, ValidatingWebhookConfiguration: 3, ConfigMap: 100, HorizontalPodAutoscaler: 1001, Service: 10000 })[k] ?? 1000;
  const group = (o: KubeObject) => (String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '');
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || cmp(group(a), group(b)) || cmp(a.kind, b.kind) || cmp(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}

/** The objects as one YAML stream (YAML 1.1 quoting, so `yes` stays a string). */
export function manifestYaml(objects: readonly KubeObject[], opts: { sort?: boolean } = {}): string {
  const list = opts.sort ? sortLikeIstioctl(objects) : objects;
  return list.map((o) => YAML.stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/**
 * `operator convert`: an IstioOperator resource as values per release (release name -> values).
 * What needs a post-render patch is not in values; planInstall's releases carry it.
 */
export function convertOperator(iopYaml: string): Record<string, Record<string, unknown>> {
  const plan = planDocuments([{ source: 'IstioOperator', text: iopYaml }], []);
  return Object.fromEntries(plan.releases.map((r) => [r.release, r.values]));
}
