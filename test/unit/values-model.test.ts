/** The values model: one source for values.yaml, the schema, the README table and the refs. */
import * as YAML from 'yaml';
import { ALL_CHARTS } from '../../src/charts';
import { renderChart } from '../../src/charts/chart-definition';
import { defaultsOf, field, refsOf, schemaOf, section, valuesTable, valuesYaml } from '../../src/values/model';

const model = section('', {
  name: field('x', 'The name.'),
  count: field(3, 'How many.', { schema: { minimum: 0 } }),
  ratio: field(1.5, 'A ratio.'),
  tags: field<string[]>([], 'Tags.', { items: { type: 'string' } }),
  extra: field<Record<string, string>>({}, 'Pass-through map.'),
  surge: field<string | number>('100%', 'Int or percentage.', { type: ['string', 'integer'] }),
  sub: section('A section.', { flag: field(false, 'A flag.\nSecond line.') }),
  global: section('Shared.', { ns: field('istio-system', 'Namespace.') }, { open: true }),
});

function leafPaths(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length && !['extra'].includes(k)
      ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

test('refs are typed holes with the value path', () => {
  const V = refsOf(model);
  expect(V.name).toBe('\u27e6q:.Values.name\u27e7');
  expect(V.count).toBe('\u27e6r:.Values.count\u27e7');
  expect(V.sub.flag).toBe('\u27e6r:.Values.sub.flag\u27e7');
});

/** Paths of the model's keys whose line in values.yaml is not directly under a comment. */
function uncommentedKeys(text: string, model: any): string[] {
  const known = new Set<string>();
  const walk = (sec: any, p: string) => {
    for (const [k, n] of Object.entries<any>(sec.fields)) {
      known.add(p + k);
      if (n.fields) walk(n, `${p}${k}.`);
    }
  };
  walk(model, '');
  const stack: string[] = [];
  const missing: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^( *)("?[^\s#-][^:"]*"?):/.exec(line);
    if (!m) return;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2].replace(/"/g, ''));
    const path = stack.join('.');
    if (known.has(path) && !lines[i - 1]?.trimStart().startsWith('#')) missing.push(path);
  });
  return missing;
}

test('values.yaml parses back to the defaults, with a comment above every key', () => {
  const text = valuesYaml(model, ['header']);
  expect(YAML.parse(text, { version: '1.1' })).toEqual(defaultsOf(model));
  expect(uncommentedKeys(text, model)).toEqual([]);
  expect(uncommentedKeys('a: 1\n', section('', { a: field(1, 'x') }))).toEqual(['a']);
  expect(text).toContain('  # A flag.\n  # Second line.\n  flag: false');
});

test('schema: closed sections name unknown keys, open ones accept them, root tolerates global and enabled', () => {
  const s: any = schemaOf(model);
  expect(s.additionalProperties).toBe(false);
  expect(s.properties.sub.additionalProperties).toBe(false);
  expect(s.properties.global.additionalProperties).toBe(true);
  expect(s.properties.enabled.type).toBe('boolean');
  expect(s.properties.count).toMatchObject({ type: 'integer', minimum: 0 });
  expect(s.properties.ratio.type).toBe('number');
  expect(s.properties.tags).toMatchObject({ type: 'array', items: { type: 'string' } });
  expect(s.properties.extra.type).toBe('object');
  expect(s.properties.extra.additionalProperties).toBeUndefined();
  expect(s.properties.surge.type).toEqual(['string', 'integer']);
});

test('README table: one row per leaf key, with type and default', () => {
  const rows = valuesTable(model).trim().split('\n').slice(2);
  expect(rows.map((r) => r.split('|')[1].trim().replace(/`/g, ''))).toEqual(leafPaths(defaultsOf(model)));
  expect(rows[1]).toBe('| `count` | integer | `3` | How many. |');
});

describe.each(ALL_CHARTS.map((c) => [c.name, c] as const))('chart %s', (_name, def) => {
  test('values.yaml has a comment above every key', () => {
    const text = renderChart(def).get('values.yaml')!;
    expect(YAML.parse(text, { version: '1.1' })).toEqual(defaultsOf(def.values));
    expect(uncommentedKeys(text, def.values)).toEqual([]);
  });

  test('every values key has a non-empty description', () => {
    const missing: string[] = [];
    const walk = (s: any, p: string) => {
      for (const [k, n] of Object.entries<any>(s.fields)) {
        if (!n.doc?.trim() && !(n.fields && p === '')) missing.push(p + k);
        if (n.fields) walk(n, `${p}${k}.`);
      }
    };
    walk(def.values, '');
    expect(missing).toEqual([]);
  });
});

test('a number field with a whole default keeps its decimal point in values.yaml (helm show values prints traceSampling: 1.0, as upstream)', () => {
  const floats = section('', { sampling: field(1, 'A percentage.', { type: 'number' }), count: field(1, 'A count.') });
  const text = valuesYaml(floats, []);
  expect(text).toContain('\nsampling: 1.0\n');
  expect(text).toContain('\ncount: 1\n');
  expect(YAML.parse(text)).toEqual({ sampling: 1, count: 1 });
  expect(renderChart(ALL_CHARTS.find((c) => c.name === 'istiod')!).get('values.yaml')).toMatch(/^ {2}traceSampling: 1\.0$/m);
});
