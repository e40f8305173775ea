/**
 * The input layer under generated input (fast-check, seeded and bounded): `--set` flags built
 * from real paths, mutated paths and odd values; IstioOperator files of the corpus with a node
 * replaced, removed or renamed; values files likewise; and bytes that are not YAML. Each goes
 * through what `manifest generate` and `install` run before touching a cluster (planFrom, then
 * validatePlan). Every outcome is a plan (exit 0) or bad input (exit 2): never another error,
 * and every line of an exit 2 is `<path>: <reason>` naming an IstioOperator path of the input
 * (`spec.…`, its first keys occur in it) or the file or flag itself, never a chart's path. A sample then runs through the CLI binary.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { isInputError } from '../../src/cli/errors';
import { checkedPlanFrom } from '../../src/cli/inputs';
import { cli } from '../support/cli';
import { CORPUS } from './support';

jest.setTimeout(300_000);

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fuzz-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Input {
  readonly files: Array<{ name: string; text: string }>;
  readonly sets: string[];
}
interface Outcome {
  readonly code: 0 | 2;
  readonly lines: string[];
}

function write(input: Input): string[] {
  return input.files.map((f) => {
    const path = join(dir, `${counter++}-${f.name}`);
    writeFileSync(path, f.text);
    return path;
  });
}

/** What the CLI's install and manifest generate do with the input before any cluster is involved; any error but bad input escapes. */
async function outcome(input: Input): Promise<Outcome & { paths: string[] }> {
  const paths = write(input);
  try {
    await checkedPlanFrom({ filename: paths, set: input.sets });
    return { code: 0, lines: [], paths };
  } catch (e) {
    if (!isInputError(e)) throw e;
    return { code: 2, lines: (e as Error).message.split('\n'), paths };
  }
}

/** Keys of a named path (`spec.values.pilot["a.b"][0].x` -> values, pilot, a.b, x), spec dropped. */
function keysOf(path: string): string[] {
  const keys = [...path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+|[^\]]*)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[3] ?? ''));
  return keys.filter((k) => k !== '' && !/^\d+$/.test(k)).slice(path.startsWith('spec') ? 1 : 0);
}

/** The line names something the user gave: one of the files, a flag, or a path whose first keys (two at most) occur in the input. */
function namesInput(line: string, input: Input, paths: string[]): boolean {
  const named = line.slice(0, line.indexOf(': '));
  if (!named || /^\s+at /.test(line)) return false;
  if (paths.includes(named) || named.startsWith('--set ') || named === 'kind' || named === 'apiVersion') return true;
  // otherwise an IstioOperator path, as the user wrote it, not a chart's: a top-level key of a file, or under spec
  if (!/^spec\b/.test(named)) return input.files.some((f) => f.text.split('\n').some((l) => l.startsWith(`${named}:`)));
  // a file without kind is a values file, read as spec.values
  const text = [...input.sets, ...input.files.map((f) => (/kind: IstioOperator/.test(f.text) ? f.text : `values:\n${f.text}`))].join('\n');
  return keysOf(named).slice(0, 2).every((k) => text.includes(k));
}

// ---- generators --------------------------------------------------------------------------------

const REAL_PATHS = [
  'profile', 'revision', 'hub', 'tag', 'meshConfig.accessLogFile', 'meshConfig.defaultConfig.holdApplicationUntilProxyStarts',
  'values.pilot.autoscaleMin', 'values.pilot.autoscaleMax', 'values.pilot.replicaCount', 'values.pilot.traceSampling', 'values.pilot.env.FOO',
  'values.pilot.resources.requests.cpu', 'values.global.proxy.logLevel', 'values.global.hub', 'values.global.logAsJson', 'values.global.istioNamespace',
  'values.gateways.istio-ingressgateway.type', 'values.gateways.istio-ingressgateway.ports[0].port', 'values.gateways.istio-ingressgateway.autoscaleMin',
  'values.cni.provider', 'values.cni.cniBinDir', 'values.telemetry.enabled', 'values.sidecarInjectorWebhook.enableNamespacesByDefault',
  'components.pilot.enabled', 'components.pilot.k8s.replicaCount', 'components.pilot.k8s.hpaSpec.minReplicas', 'components.pilot.k8s.resources.requests.cpu',
  'components.pilot.k8s.env[0].name', 'components.pilot.k8s.podAnnotations.a', 'components.cni.enabled', 'components.cni.namespace',
  'components.ingressGateways[0].name', 'components.ingressGateways[0].enabled', 'components.ingressGateways[0].k8s.service.type',
  'components.egressGateways[name:istio-egressgateway].enabled', 'components.pilot.k8s.overlays[0].kind',
];
const ODD_VALUES = ['-1', '0', '1', '70000', '1.5', 'true', 'false', 'loud', '', 'a b', 'null', '[x]', '{}', 'LoadBalancer', 'Local', 'demo', 'ambient', 'a.b', 'x=y', '\\,'];

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
const setPath = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...REAL_PATHS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...REAL_PATHS), word).map(([p, w]) => `${p}.${w}`) },
  { weight: 1, arbitrary: fc.array(fc.oneof(word, fc.constantFrom('[0]', '[9]', '[name:x]', '[', ']', '\\.', '')), { minLength: 1, maxLength: 5 }).map((s) => s.join('.')) },
);
const setValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ODD_VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
const setFlag = fc.oneof({ weight: 9, arbitrary: fc.tuple(setPath, setValue).map(([p, v]) => `${p}=${v}`) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

const GOOD = join(CORPUS, 'good');
const corpus = readdirSync(GOOD).map((f) => ({ name: f, tree: YAML.parse(readFileSync(join(GOOD, f), 'utf8')) as unknown }));

/** Every path to a node of a tree. */
function nodePaths(tree: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const out = [path];
  if (Array.isArray(tree)) tree.forEach((v, i) => out.push(...nodePaths(v, [...path, i])));
  else if (tree && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) out.push(...nodePaths(v, [...path, k]));
  return out;
}

type Mutation = { kind: 'replace'; value: unknown } | { kind: 'remove' } | { kind: 'rename'; to: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 70000, 'loud', '', null, true, [], {})).map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'remove' as const }) },
  { weight: 2, arbitrary: word.map((to) => ({ kind: 'rename' as const, to })) },
);

/** The tree with the node at `pick` (an index into its paths, modulo) changed. */
function mutate(tree: unknown, pick: number, m: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(tree)) as unknown;
  const paths = nodePaths(copy);
  const path = paths[pick % paths.length];
  if (!path.length) return m.kind === 'replace' ? m.value : copy;
  const parent = path.slice(0, -1).reduce<any>((n, k) => n[k], copy);
  const key = path[path.length - 1];
  if (m.kind === 'replace') parent[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (m.kind === 'remove') delete parent[key];
  else {
    parent[m.to] = parent[key];
    delete parent[key];
  }
  return copy;
}

const operatorFile = fc.tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.nat(), mutation).map(([i, pick, m]) => ({
  name: corpus[i].name,
  text: YAML.stringify(mutate(corpus[i].tree, pick, m)),
}));
const valuesFile = fc.tuple(fc.nat(), mutation).map(([pick, m]) => ({
  name: 'values.yaml',
  text: YAML.stringify(mutate({ pilot: { autoscaleMin: 1, env: { A: 'b' } }, global: { proxy: { logLevel: 'info' } }, meshConfig: { accessLogFile: '' } }, pick, m)),
}));
const garbage = fc.string({ maxLength: 40 }).map((text) => ({ name: 'garbage.yaml', text: `${text}\n: [` }));

const input: fc.Arbitrary<Input> = fc.record({
  files: fc.array(fc.oneof({ weight: 3, arbitrary: operatorFile }, { weight: 2, arbitrary: valuesFile }, { weight: 1, arbitrary: garbage }), { maxLength: 2 }),
  sets: fc.array(setFlag, { maxLength: 3 }),
});

// ---- properties --------------------------------------------------------------------------------

const seen: Array<Input & Outcome> = [];

test('generated --set flags, files and mutations end in a plan or bad input naming a path of the input, never another error', async () => {
  await fc.assert(
    fc.asyncProperty(input, async (given) => {
      const result = await outcome(given);
      seen.push({ ...given, ...result });
      if (result.code === 2) {
        expect(result.lines.length).toBeGreaterThan(0);
        for (const line of result.lines) expect([line, namesInput(line, given, result.paths)]).toEqual([line, true]);
      }
    }),
    { seed: 27, numRuns: 120 },
  );
  console.log(`fuzz: ${seen.length} inputs, ${seen.filter((s) => s.code === 0).length} plans, ${seen.filter((s) => s.code === 2).length} refused`);
  // the generators reach both ends
  expect(seen.filter((s) => s.code === 0).length).toBeGreaterThan(5);
  expect(seen.filter((s) => s.code === 2).length).toBeGreaterThan(40);
});

test('through the CLI binary: manifest generate and install --dry-run exit 2 with the same lines, and no stack trace', async () => {
  const sample = seen.filter((s) => s.code === 2 && s.files.length === 0).slice(0, 3);
  expect(sample).toHaveLength(3);
  for (const s of sample) {
    const flags = s.sets.flatMap((f) => ['--set', f]);
    for (const args of [['manifest', 'generate', ...flags], ['install', '--dry-run', ...flags]]) {
      const r = await cli(args);
      expect([args, r.status, r.stderr]).toEqual([args, 2, s.lines.map((l) => `error: ${l}\n`).join('')]);
    }
  }
});
