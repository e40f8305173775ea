/** Run the real helm binaries (v4 and v3) against the generated charts. */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { HelmMajor, helmBinary } from '../../src/tools/helm';

export const HELM_MAJORS: HelmMajor[] = ['v4', 'v3'];
/** The major whose default renders are kept as snapshots; the other must render the same objects. */
export const SNAPSHOT_MAJOR: HelmMajor = 'v4';
export const CHARTS_DIR = join(__dirname, '..', '..', 'charts');

export interface HelmOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** Written to a values file and passed with -f. */
  readonly values?: Record<string, unknown>;
  /** Raw `--set` expressions. */
  readonly set?: string[];
  readonly extraArgs?: string[];
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function helm(major: HelmMajor, args: string[]): HelmResult {
  const r = spawnSync(helmBinary(major), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** helm template arguments; values go through a temporary file removed by `done`. */
function templateArgs(chartPath: string, o: HelmOptions): { args: string[]; done: () => void } {
  const args = ['template', o.release ?? 'release', chartPath, '-n', o.namespace ?? 'istio-system'];
  let dir: string | undefined;
  if (o.values) {
    dir = mkdtempSync(join(tmpdir(), 'values-'));
    // YAML 1.1, as helm reads it: a string 'yes' must stay a string
    writeFileSync(join(dir, 'values.yaml'), YAML.stringify(o.values, { version: '1.1' }));
    args.push('-f', join(dir, 'values.yaml'));
  }
  for (const s of o.set ?? []) args.push('--set', s);
  return { args: [...args, ...(o.extraArgs ?? [])], done: () => dir && rmSync(dir, { recursive: true, force: true }) };
}

function helmTemplate(major: HelmMajor, chartPath: string, o: HelmOptions): HelmResult {
  const { args, done } = templateArgs(chartPath, o);
  try {
    return helm(major, args);
  } finally {
    done();
  }
}

/**
 * `helm template` that must succeed; returns the parsed objects and the raw text. With
 * `uniqueKeys: false` a repeated mapping key is no error and its last value wins, as Helm and
 * the API server read it.
 */
export function template(major: HelmMajor, chartPath: string, o: HelmOptions = {}, parse: { uniqueKeys?: boolean } = {}): { objects: any[]; text: string } {
  const r = helmTemplate(major, chartPath, o);
  if (r.status !== 0) throw new Error(`helm ${major} template failed:\n${r.stderr}`);
  const objects = YAML.parseAllDocuments(r.stdout, { version: '1.1', uniqueKeys: parse.uniqueKeys ?? true })
    .map((d) => {
      if (d.errors.length) throw new Error(`helm output is not valid YAML: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((o) => o !== null && o !== undefined);
  return { objects, text: r.stdout };
}

/** `helm template` that must fail; returns its error output. */
export function templateError(major: HelmMajor, chartPath: string, o: HelmOptions = {}): string {
  const r = helmTemplate(major, chartPath, o);
  if (r.status === 0) throw new Error(`helm ${major} template succeeded but should have failed`);
  return r.stderr;
}

export const chart = (name: string) => join(CHARTS_DIR, name);

/** `Kind/namespace/name` of each object, sorted: the identity set of a render. */
export function identities(objects: any[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort();
}

export const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
export const find = (objects: any[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${identities(objects).join(', ')}`);
  return o;
};
