/**
 * TEMPORARY stand-in for the IstioOperator conversion being written on branch `operator`
 * (same API); replaced by it at merge. Supports only --set profile=, revision=.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ChartName, Component, profileComponents, resolveProfile } from '../profiles';

export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InputError';
  }
}
export interface InstallInputs { files: string[]; sets: string[]; revision?: string }
export interface Overlay { kind: string; name: string; patches: Array<{ path: string; value?: unknown }> }
export interface Release { component: Component; chart: ChartName; release: string; namespace: string; values: Record<string, unknown>; overlays: Overlay[] }
export interface InstallPlan { profile: string; revision: string; namespace: string; releases: Release[]; warnings: string[] }
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export function planInstall(inputs: InstallInputs): InstallPlan {
  let profileName = 'default';
  let revision = inputs.revision ?? '';
  const extra: Record<string, string> = {};
  for (const s of inputs.sets) {
    const [k, v] = s.split('=');
    if (k === 'profile') profileName = v;
    else if (k === 'revision') revision = v;
    else extra[k] = v;
  }
  const { profile, platform } = resolveProfile(profileName);
  const ns = 'istio-system';
  const chartProfile = profile.name === 'empty' ? undefined : profile.name;
  const releases: Release[] = [];
  for (const c of profileComponents(profile, platform)) {
    if (c === 'base') releases.push({ component: c, chart: 'base', release: 'istio-base', namespace: ns, values: { profile: chartProfile }, overlays: [] });
    if (c === 'pilot') releases.push({ component: c, chart: 'istiod', release: revision ? `istiod-${revision}` : 'istiod', namespace: ns, values: { profile: chartProfile, revision }, overlays: [] });
    if (c === 'ingressGateways') releases.push({ component: c, chart: 'gateway', release: 'istio-ingressgateway', namespace: ns, values: { revision, labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }, overlays: [] });
    if (c === 'egressGateways') releases.push({ component: c, chart: 'gateway', release: 'istio-egressgateway', namespace: ns, values: { revision, service: { type: 'ClusterIP' }, labels: { app: 'istio-egressgateway', istio: 'egressgateway' } }, overlays: [] });
  }
  return { profile: profile.name, revision, namespace: ns, releases, warnings: [] };
}

export function postRender(objects: KubeObject[], _overlays: Overlay[]): KubeObject[] {
  return objects;
}

export async function renderPlan(plan: InstallPlan, opts: { helm?: string } = {}): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  try {
    for (const r of plan.releases) {
      const f = join(dir, `${r.release}.json`);
      writeFileSync(f, JSON.stringify(r.values));
      const res = spawnSync(opts.helm ?? 'helm', ['template', r.release, join(__dirname, '..', '..', 'charts', r.chart), '-n', r.namespace, '-f', f], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (res.status !== 0) throw new Error(res.stderr);
      out.push(...(YAML.parseAllDocuments(res.stdout).map((d) => d.toJS()).filter(Boolean) as KubeObject[]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export function manifestYaml(objects: KubeObject[]): string {
  return objects.map((o) => YAML.stringify(o, { lineWidth: 0 })).join('---\n');
}

export function convertOperator(_iop: string): Record<string, Record<string, unknown>> {
  return {};
}

export function helmPostRendererArgs(_overlaysFile: string): { env: Record<string, string>; args: string[] } {
  return { env: {}, args: [] };
}
