/**
 * The generated meshConfig schema: no drift from the pinned istio.io/api, embedded in the istiod
 * chart's values schema, accepting every mesh config the profiles and upstream's files use, and
 * agreeing with istiod's own decoder on every sample (valid ones and the invalid corpus).
 */
import Ajv from 'ajv';
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { MESHCONFIG_SCHEMA_FILE, generateMeshConfigSchema, loadMeshConfigSchema } from '../../src/crds/meshconfig';
import { withoutDescriptions } from '../../src/charts/chart-definition';
import { ISTIO_API_MODULE } from '../../src/versions';
import { chart } from '../support/helm';
import { decodeMeshConfigs } from '../support/meshconfig-decode';
import { upstreamChart, upstreamModuleDir } from '../support/upstream';

const readYaml = (file: string) => YAML.parse(readFileSync(file, 'utf8'), { version: '1.1' });
const yamlFiles = (dir: string, prefix = '') => readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.yaml')).map((f) => join(dir, f));

/** Mesh configs that work today: ours and upstream's profiles, upstream's defaults and IstioOperator profiles, our test values. */
function meshConfigsInUse(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const add = (what: string, mc: unknown) => mc && out.push([what, mc]);
  for (const f of yamlFiles(join(chart('istiod'), 'files'), 'profile-')) add(`ours ${f}`, readYaml(f)?.meshConfig);
  for (const f of yamlFiles(join(upstreamChart('istiod'), 'files'), 'profile-')) add(`upstream ${f}`, readYaml(f)?.meshConfig);
  add('upstream istiod values.yaml', readYaml(join(upstreamChart('istiod'), 'values.yaml'))._internal_defaults_do_not_set.meshConfig);
  for (const f of yamlFiles(join(upstreamModuleDir(), 'manifests', 'profiles'))) add(`upstream ${f}`, readYaml(f)?.spec?.meshConfig);
  add('our istiod values.yaml', readYaml(join(chart('istiod'), 'values.yaml')).meshConfig);
  add('test/cluster values', readYaml(join(__dirname, '..', 'cluster', 'values', 'my-config-values.yaml')).meshConfig);
  add('operator corpus', readYaml(join(__dirname, '..', 'operator', 'corpus', 'good', 'mesh-config.yaml')).spec.meshConfig);
  return out;
}

/** What the decoder accepts beyond the plain JSON form, each of which the schema must accept too. */
const DECODER_FORMS: Array<[string, unknown]> = [
  ['proto field names', { access_log_file: '/dev/stdout', default_config: { proxy_metadata: { A: 'b' } } }],
  ['enums by number', { outboundTrafficPolicy: { mode: 0 }, accessLogEncoding: 1 }],
  ['integers as strings', { defaultConfig: { concurrency: '2' } }],
  ['null fields', { enableTracing: null, defaultConfig: { tracing: null } }],
  ['compound durations', { connectTimeout: '1m30s', defaultConfig: { drainDuration: '2s', terminationDrainDuration: '0' }, dnsRefreshRate: '0.5s' }],
  ['wrapper types as plain values', { enablePrometheusMerge: false, defaultConfig: { holdApplicationUntilProxyStarts: true } }],
  ['open Struct and Value fields', { defaultConfig: { proxyStatsMatcher: { inclusionRegexps: ['.*'] }, runtimeValues: { 'overload.global_downstream_max_connections': '5000' } } }],
  ['extension providers', { extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel.o.svc.cluster.local', port: 4317 } }] }],
];

/** The meshConfig of each invalid istiod corpus file that has one. */
function invalidCorpus(): Array<[string, unknown]> {
  const dir = join(__dirname, '..', 'schema', 'invalid', 'istiod');
  return yamlFiles(dir)
    .map((f) => [f.replace(/.*\//, ''), readYaml(f)?.meshConfig] as [string, unknown])
    .filter(([, mc]) => mc && typeof mc === 'object');
}

const schema = loadMeshConfigSchema();
const validate = new Ajv({ allErrors: false, strict: false }).compile({ definitions: schema.definitions, $ref: `#/definitions/${schema.root}` });

test('the committed schema is what the generator makes from the pinned istio.io/api (npm run update-crds)', () => {
  expect(generateMeshConfigSchema()).toBe(readFileSync(MESHCONFIG_SCHEMA_FILE, 'utf8'));
});

test('provenance names the pinned module and the generator', () => {
  expect(schema.provenance).toEqual({ module: ISTIO_API_MODULE.path, version: ISTIO_API_MODULE.version, generator: 'src/crds/meshconfig-schema/main.go' });
  expect(schema.root).toBe('istio.mesh.v1alpha1.MeshConfig');
  expect(Object.keys(schema.definitions)).toContain('istio.mesh.v1alpha1.ProxyConfig');
});

test("the istiod chart's values schema checks meshConfig with exactly these definitions (shipped without their descriptions)", () => {
  const values = JSON.parse(readFileSync(join(chart('istiod'), 'values.schema.json'), 'utf8'));
  expect(values.definitions).toEqual(withoutDescriptions(schema.definitions));
  expect(values.properties.meshConfig.allOf).toEqual([{ $ref: `#/definitions/${schema.root}` }]);
});

describe('against the real decoder', () => {
  const inUse = meshConfigsInUse();
  const invalid = invalidCorpus();
  const samples = [...inUse, ...DECODER_FORMS, ...invalid];
  const verdicts = decodeMeshConfigs(samples.map(([, mc]) => mc));
  const rows = samples.map(([what, mc], i) => ({ what, schema: validate(mc) ? 'accepted' : 'rejected', strict: verdicts[i].strict ? 'rejected' : 'accepted', istiod: verdicts[i].istiod }));

  test('every mesh config in use today is accepted by the schema and by istiod', () => {
    expect(inUse.length).toBeGreaterThan(8);
    for (const r of rows.slice(0, inUse.length + DECODER_FORMS.length)) expect({ what: r.what, schema: r.schema, istiod: r.istiod }).toEqual({ what: r.what, schema: 'accepted', istiod: '' });
  });

  test('the schema accepts exactly what a strict decode accepts, on every sample', () => {
    expect(rows.map((r) => `${r.what}: schema ${r.schema}`)).toEqual(rows.map((r) => `${r.what}: schema ${r.strict}`));
  });

  test('the mesh configs of the invalid corpus are all rejected by the schema; istiod itself refuses those that are not unknown keys', () => {
    const corpus = rows.slice(inUse.length + DECODER_FORMS.length);
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    const removedUpstream = corpus.filter((r) => r.what.includes('stackdriver')); // valid MeshConfig; the chart's template refuses it
    const refusedByIstiod = corpus.filter((r) => r.istiod);
    console.log(`meshConfig corpus: ${corpus.length} files, ${corpus.length - removedUpstream.length} rejected by the schema; istiod refuses ${refusedByIstiod.length} at startup, ignores the rest (unknown keys, removed tracer)`);
    for (const r of corpus) expect({ what: r.what, schema: r.schema }).toEqual({ what: r.what, schema: removedUpstream.includes(r) ? 'accepted' : 'rejected' });
    expect(refusedByIstiod.length).toBeGreaterThan(10);
  });
});
