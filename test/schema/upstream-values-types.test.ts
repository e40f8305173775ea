/**
 * Our values schemas against upstream's own typed definition of chart values
 * (operator/pkg/apis/values_types.proto of the pinned istio.io/istio, walked from its Go
 * descriptors): every field upstream knows must be known to our schema with a compatible type,
 * or be listed with a reason in upstream-values-differences.yaml.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { chart } from '../support/helm';
import { SchemaWalker, UpstreamField, upstreamValuesTypes } from '../support/values-types';

interface Difference {
  readonly path: string;
  /** The chart whose schema it concerns, when the path alone does not say (`cni` is both istiod's key and the cni chart's values). */
  readonly chart?: ChartName;
  /** What the test finds there: unknown (our schema rejects the key) or incompatible (a type it rejects). */
  readonly finding: 'unknown' | 'incompatible';
  readonly reason: string;
}

const DIFFERENCES: Difference[] = YAML.parse(readFileSync(join(__dirname, 'upstream-values-differences.yaml'), 'utf8'));

type ChartName = 'istiod' | 'base' | 'cni';

/** Upstream's Values message covers every chart; these top-level keys belong to the base chart. */
const BASE_KEYS = new Set(['base', 'defaultRevision']);
/**
 * Top-level keys whose fields are also the top-level values of another chart: istioctl hands
 * `cni.*` to the istio-cni chart, which lifts them to its top level (istiod reads them too, as pilot.cni).
 */
const CHART_KEYS: Record<string, ChartName> = { cni: 'cni' };

const schemaOf = (name: string) => JSON.parse(readFileSync(join(chart(name), 'values.schema.json'), 'utf8'));

/** JSON types a value of an upstream field takes (its items for a list, its values for a map). */
const JSON_TYPE: Record<string, string | undefined> = {
  boolean: 'boolean', string: 'string', integer: 'integer', number: 'number', enum: 'string', duration: 'string', object: 'object', message: 'object', any: undefined,
};

interface Finding {
  readonly chart: ChartName;
  readonly path: string;
  readonly finding: 'unknown' | 'incompatible';
  readonly detail: string;
}

function compare(): { findings: Finding[]; checked: number; open: number } {
  const findings: Finding[] = [];
  let checked = 0;
  let open = 0;
  const walkers: Record<ChartName, SchemaWalker> = {
    istiod: new SchemaWalker(schemaOf('istiod')),
    base: new SchemaWalker(schemaOf('base')),
    cni: new SchemaWalker(schemaOf('cni')),
  };
  let chart: ChartName = 'istiod';
  const visit = (walker: SchemaWalker, parent: Record<string, any>, fields: readonly UpstreamField[], prefix: string) => {
    for (const f of fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      checked++;
      const found = walker.child(parent, f.name);
      if (found.status === 'unknown') {
        findings.push({ chart, path, finding: 'unknown', detail: `upstream ${f.kind}${f.deprecated ? ' (deprecated upstream)' : ''}` });
        continue;
      }
      if (found.status === 'open') {
        open++;
        continue;
      }
      let schema = found.schema;
      if (f.repeated || f.map) {
        const container = f.repeated ? 'array' : 'object';
        if (!walker.admits(schema, container)) {
          findings.push({ chart, path, finding: 'incompatible', detail: `upstream ${container} of ${f.kind}, ours ${[...walker.types(schema)].join('|')}` });
          continue;
        }
        const inner = walker.deref(schema);
        schema = (f.repeated ? inner.items : inner.additionalProperties) ?? {};
        if (typeof schema !== 'object') schema = {};
      }
      const types = f.kind === 'intOrString' ? ['integer', 'string'] : [JSON_TYPE[f.kind]].filter((t): t is string => !!t);
      if (types.some((t) => !walker.admits(schema, t))) {
        findings.push({ chart, path, finding: 'incompatible', detail: `upstream ${f.kind}, ours ${[...walker.types(schema)].join('|')}` });
        continue;
      }
      if (f.kind === 'message' && f.fields) visit(walker, schema, f.fields, path);
    }
  };
  for (const top of upstreamValuesTypes()) {
    chart = BASE_KEYS.has(top.name) ? 'base' : 'istiod';
    visit(walkers[chart], schemaOf(chart), [top], '');
    const other = CHART_KEYS[top.name];
    if (other) {
      // the message's fields against the other chart's top level, paths still prefixed with the key
      chart = other;
      visit(walkers[other], schemaOf(other), top.fields ?? [], top.name);
    }
  }
  return { findings, checked, open };
}

const covers = (d: Difference, f: Finding) => (d.chart ?? f.chart) === f.chart && d.finding === f.finding && (f.path === d.path || f.path.startsWith(`${d.path}.`));

describe("upstream's values_types.proto", () => {
  const { findings, checked, open } = compare();

  test('every field it types is known to our schema with a compatible type, or listed as an intended difference', () => {
    console.log(`values_types.proto: ${checked} fields compared, ${open} accepted by open maps, ${findings.length} differences (${DIFFERENCES.length} listed)`);
    const unexplained = findings.filter((f) => !DIFFERENCES.some((d) => covers(d, f)));
    expect(unexplained.map((f) => `${f.chart}: ${f.path}: ${f.finding} (${f.detail})`)).toEqual([]);
  });

  test('every listed difference is still found (no stale entries) and gives a reason', () => {
    for (const d of DIFFERENCES) expect(d.reason?.length ?? 0).toBeGreaterThan(10);
    const stale = DIFFERENCES.filter((d) => !findings.some((f) => covers(d, f)));
    expect(stale.map((d) => d.path)).toEqual([]);
  });
});
