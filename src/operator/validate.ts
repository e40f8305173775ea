/**
 * The whole plan judged before anything is applied: every release's final values against its
 * chart's values.schema.json (ajv, in process: structured errors, milliseconds), then every
 * release rendered by `helm template` at once with its overlays (the chart's validate.yaml
 * checks and the post-render patches). A bad value is named the way the user typed it: the
 * `--set` flag or file it came from and its IstioOperator path (`spec.values.pilot.autoscaleMin`),
 * found by matching the offending chart value back to the inputs; where no input holds it, the
 * release and chart path. All problems at once, one line each.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import * as YAML from 'yaml';
import { helmPath } from '../tools/helm-path';
import { closest, formatPath, isObject } from './errors';
import { KubeObject, OverlayError, postRender } from './overlays';
import { InstallPlan, PlanInput, Release } from './plan';
import { CHARTS_DIR, helmReason, parseManifest, templateArgs } from './render';

const run = promisify(execFile);
type Path = Array<string | number>;

/** Bad input found in the plan's releases: one line per offending value. An input error (exit 2). */
export class InvalidPlan extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'InputError';
  }
}

export interface ValidateOptions {
  readonly helm?: string;
  readonly chartsDir?: string;
}

/**
 * Every release checked and rendered; returns the objects of each, in plan order. Throws
 * InvalidPlan for anything the user must fix, and a plain Error when helm itself fails.
 */
export async function validatePlan(plan: InstallPlan, opts: ValidateOptions = {}): Promise<KubeObject[][]> {
  const chartsDir = opts.chartsDir ?? CHARTS_DIR;
  const problems = unique(plan.releases.flatMap((r) => schemaProblems(plan, r, chartsDir)));
  if (problems.length) throw new InvalidPlan(problems);
  return renderReleases(plan, opts.helm ?? helmPath(), chartsDir);
}

/** Every release rendered and post-rendered, in plan order (`manifest generate`), after the same checks. */
export async function renderPlan(plan: InstallPlan, opts: ValidateOptions = {}): Promise<KubeObject[]> {
  return (await validatePlan(plan, opts)).flat();
}

// ---- values against the chart's schema ---------------------------------------------------------

const validators = new Map<string, { validate: ValidateFunction; defaults: Record<string, unknown> }>();

function chartModel(chartsDir: string, chart: string) {
  const dir = join(chartsDir, chart);
  let model = validators.get(dir);
  if (!model) {
    // draft-07, as the charts declare; helm's validator reads the same keywords
    // verbose: an error carries its schema (an unknown key is then matched against the known ones)
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, unicodeRegExp: false });
    const schema = JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const defaults = (YAML.parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
    model = { validate: ajv.compile(schema), defaults };
    validators.set(dir, model);
  }
  return model;
}

/** helm's coalescing of user values over the chart's defaults: maps merge, anything else replaces, null deletes. */
export function coalesce(defaults: unknown, user: unknown): unknown {
  if (!isObject(defaults) || !isObject(user)) return user;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(user)) {
    if (v === null) delete out[k];
    else out[k] = k in defaults ? coalesce(defaults[k], v) : v;
  }
  return out;
}

/** The problems of one release's values under its chart's schema, in the user's terms. */
export function schemaProblems(plan: InstallPlan, release: Release, chartsDir = CHARTS_DIR): string[] {
  const { validate, defaults } = chartModel(chartsDir, release.chart);
  const values = coalesce(defaults, release.values);
  if (validate(values)) return [];
  return describeErrors(validate.errors ?? [], values).map((p) => nameInUserTerms(plan, release, p));
}

interface Problem {
  /** Path in the chart's values. */
  readonly path: Path;
  /** The offending value (undefined for a missing one). */
  readonly value: unknown;
  readonly message: string;
}

const pointer = (p: string): Path => (p ? p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : []);
const at = (root: unknown, path: Path): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);

/** ajv's errors as one problem per offending value (its first): an anyOf's branches become one "or" message. */
function describeErrors(errors: readonly ErrorObject[], values: unknown): Problem[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) => anyOfs.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`));
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (inBranch(e) || e.keyword === 'if') continue;
    let path = pointer(e.instancePath);
    let message: string;
    const value = at(values, path);
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches = errors.filter((b) => b.schemaPath.startsWith(`${e.schemaPath}/`) && b.instancePath === e.instancePath);
      // a branch that failed on a bound is a number's branch: say so beside the others' types
      const wants = unique(branches.map((b) => (/imum$/.test(b.keyword) ? `a number ${want(b, value)}` : want(b, value))).filter((w): w is string => !!w));
      message = wants.length ? `must be ${wants.join(', or ')}, got ${shown(value)}` : `does not match any allowed form, got ${shown(value)}`;
    } else if (e.keyword === 'additionalProperties') {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      path = [...path, name];
      const known = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const hint = closest(name, known);
      message = `unknown field${hint ? `; did you mean ${hint}?` : ''}`;
    } else if (e.keyword === 'required') {
      path = [...path, (e.params as { missingProperty: string }).missingProperty];
      message = 'is required';
    } else if (e.keyword === 'propertyNames' || (e.params as { propertyName?: string }).propertyName !== undefined) {
      const name = (e.params as { propertyName?: string }).propertyName;
      if (e.keyword === 'propertyNames') continue; // its inner error names the key
      message = `key ${JSON.stringify(name)} is not allowed: ${want(e, name) ?? e.message}`;
    } else {
      message = `${want(e, value) ? `must be ${want(e, value)}` : e.message}, got ${shown(value)}`;
    }
    // one line per offending value: its first complaint (a wrong type makes the bounds moot)
    const key = formatPath(path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, value: e.keyword === 'additionalProperties' ? at(values, path) : e.keyword === 'required' ? undefined : value, message });
  }
  return out;
}

/** What a keyword asks for, as words ("at least 0", "an integer"). */
function want(e: ErrorObject, value: unknown): string | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
    case 'minimum':
      return `at least ${p.limit}`;
    case 'maximum':
      return `at most ${p.limit}`;
    case 'exclusiveMinimum':
      return `more than ${p.limit}`;
    case 'exclusiveMaximum':
      return `less than ${p.limit}`;
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return JSON.stringify(p.allowedValue);
    case 'pattern':
      return `a string matching ${p.pattern}`;
    case 'maxLength':
      if (p.limit === 0) return 'an empty string';
      return `at most ${p.limit} characters long${typeof value === 'string' ? ` (it has ${value.length})` : ''}`;
    case 'minLength':
      return `at least ${p.limit} characters long`;
    case 'minItems':
      return `a list of at least ${p.limit} items`;
    case 'maxItems':
      return `a list of at most ${p.limit} items`;
    default:
      return undefined;
  }
}

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a map', array: 'a list', null: 'null' };

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'a map';
  const json = JSON.stringify(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

// ---- back to what the user typed ---------------------------------------------------------------

/** Every node of an input's tree with its path under spec (maps and lists too, not only leaves). */
function nodes(tree: unknown, path: Path = []): Array<[Path, unknown]> {
  const out: Array<[Path, unknown]> = [[path, tree]];
  if (isObject(tree)) for (const [k, v] of Object.entries(tree)) out.push(...nodes(v, [...path, k]));
  else if (Array.isArray(tree)) tree.forEach((v, i) => out.push(...nodes(v, [...path, i])));
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** How many trailing segments two paths share. */
function sharedTail(a: Path, b: Path): number {
  let n = 0;
  while (n < a.length && n < b.length && String(a[a.length - 1 - n]) === String(b[b.length - 1 - n])) n++;
  return n;
}

/**
 * The input the offending value came from: the node holding that value whose path ends most
 * like the chart's (`spec.values.pilot.autoscaleMin` for istiod's `pilot.autoscaleMin`), the
 * later input winning a tie as it wins the merge; a value renamed on its way to the chart
 * (`k8s.hpaSpec.minReplicas` to `pilot.autoscaleMin`) is found when one input node alone holds it.
 */
export function sourceOf(inputs: readonly PlanInput[], chartPath: Path, value: unknown): { path: string; source: string } | undefined {
  if (value === undefined || !chartPath.length) return undefined;
  let best: { path: Path; source: string; tail: number } | undefined;
  const renamed: Array<{ path: Path; source: string }> = [];
  for (const input of inputs) {
    for (const [path, v] of nodes(input.spec)) {
      if (!path.length || !same(v, value)) continue;
      const tail = sharedTail(path, chartPath);
      if (tail > 0 && (!best || tail >= best.tail)) best = { path, source: input.source, tail };
      if (tail === 0) renamed.push({ path, source: input.source });
    }
  }
  const found = best ?? (renamed.length === 1 ? renamed[0] : undefined);
  return found && { path: formatPath(['spec', ...found.path]), source: found.source };
}

function nameInUserTerms(plan: InstallPlan, release: Release, p: Problem): string {
  const from = sourceOf(plan.inputs, p.path, p.value);
  if (from) return `${from.path}: ${p.message} (in ${from.source})`;
  return `${formatPath(p.path) || '(values)'}: ${p.message} (in the values for release ${release.release}, chart ${release.chart})`;
}

// ---- rendering ---------------------------------------------------------------------------------

/** Every release rendered at once, then post-rendered; what the charts or overlays refuse is collected, not thrown one by one. */
async function renderReleases(plan: InstallPlan, helm: string, chartsDir: string): Promise<KubeObject[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-charts-plan-'));
  try {
    const problems: string[] = [];
    const rendered = await Promise.all(
      plan.releases.map(async (r, i) => {
        const file = join(dir, `${i}-${r.release}.json`);
        writeFileSync(file, JSON.stringify(r.values));
        let stdout: string;
        try {
          ({ stdout } = await run(helm, templateArgs(r, file, chartsDir), { maxBuffer: 256 * 1024 * 1024 }));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`helm was not found (${helm}): put helm 3 or 4 on the PATH, or set HELM to its path`);
          const reason = helmReason((e as { stderr?: string }).stderr ?? '', (e as Error).message);
          // a template's `fail` (validate.yaml) or the schema: the user's values; anything else is helm's own failure
          const failed = /execution error at \([^)]*\): ([\s\S]*)$/.exec(reason);
          if (failed) problems.push(failedCheck(plan, r, failed[1].replace(/\n*Use --debug flag.*$/s, '').trim()));
          else if (/values don't meet the specifications/.test(reason)) problems.push(`release ${r.release} (chart ${r.chart}): ${reason}`);
          else throw new Error(`helm template of release ${r.release} (chart ${r.chart}) failed: ${reason}`);
          return [];
        }
        try {
          return postRender(parseManifest(stdout), r.overlays);
        } catch (e) {
          if (e instanceof OverlayError) problems.push(e.message);
          else throw e;
          return [];
        }
      }),
    );
    if (problems.length) throw new InvalidPlan(unique(problems));
    return rendered;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A chart's own check (validate.yaml) that failed: its message names chart values; the first
 * one the release sets is traced back to the user's input, as a schema problem is.
 */
function failedCheck(plan: InstallPlan, release: Release, message: string): string {
  for (const [token] of message.matchAll(/[A-Za-z_][\w-]*(?:\.[\w-]+)+/g)) {
    const path = token.split('.');
    const from = sourceOf(plan.inputs, path, at(release.values, path));
    if (from) return `${from.path}: ${message} (in ${from.source})`;
  }
  return `release ${release.release} (chart ${release.chart}): ${message}`;
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
