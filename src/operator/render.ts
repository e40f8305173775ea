/**
 * Manifests: `helm template` arguments for a release, YAML streams to objects and back (in
 * istioctl's order when asked), and `operator convert`. Rendering a whole plan, after its
 * checks, is validate.ts's.
 */
import { join } from 'path';
import * as YAML from 'yaml';
import { KubeObject } from './overlays';
import { Release, planDocuments } from './plan';

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

/** helm's reason for failing: its stderr from the first `Error:` line on (warnings before it dropped), every line kept. */
export function helmReason(stderr: string, fallback: string): string {
  const lines = stderr.trim().split('\n');
  const first = lines.findIndex((l) => l.startsWith('Error:'));
  const reason = (first >= 0 ? lines.slice(first) : lines).join('\n').trim();
  return (reason || fallback).replace(/^Error: /, '');
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
