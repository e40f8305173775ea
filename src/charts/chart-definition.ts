/**
 * What a chart is made of, and how it becomes files: Chart.yaml, values.yaml,
 * values.schema.json, README.md and templates/ all come from one definition.
 */
import { Chart } from 'cdk8s';
import { existsSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import {
  GENERATED_HEADER, HelperDefinition, definedHelpers, helmApp, renderHelpers, sourceDoc, templateComment, templateFiles, templateHeader,
} from '../helm';
import { Fields, Section, schemaOf, valuesTable, valuesYaml } from '../values/model';
import { ISTIO_HUB, ISTIO_VERSION, KUBERNETES_MIN_MINOR, chartVersion } from '../versions';
import { DEFAULTS_FILE, defaultsFile } from './common/values-helpers';
import { LegacyKey, deprecationNotes, removedKeyChecks, withLegacyKeys } from '../values/legacy';

export interface ChartDefinition {
  /** Chart name, as upstream's (`base`, `istiod`, `gateway`). */
  readonly name: string;
  /** One line for Chart.yaml and the README. */
  readonly description: string;
  /** The typed values model. */
  readonly values: Section<Fields>;
  /** Named templates, each in the helper file named after the module defining it (`helperFile`). */
  readonly helpers: HelperDefinition[];
  /** Render-time checks (template lines that `fail`), written to templates/validate.yaml by templates/validate.ts. */
  readonly checks?: readonly string[];
  /** NOTES.txt (template text). */
  readonly notes: string;
  /** README text above the values table (markdown). */
  readonly readme: string;
  /** Adds the chart's template files to the cdk8s chart. */
  build(chart: Chart): void;
  /** Keys upstream once had: accepted by the schema, warned about or failing (see values/legacy.ts). */
  readonly legacy?: readonly LegacyKey[];
  /** Extra files by path relative to the chart (e.g. files/injection/sidecar.yaml). */
  readonly files?: ReadonlyMap<string, string>;
  /** Names of the Istio images (under ISTIO_HUB) the chart's workloads run, for Artifact Hub. */
  readonly images?: readonly string[];
  /** Schemas the values schema refers to as `#/definitions/<name>` (e.g. the generated MeshConfig schema). */
  readonly schemaDefinitions?: Readonly<Record<string, unknown>>;
}

/** What every chart's Chart.yaml says the same way: where it comes from, who keeps it, its license. */
const SHARED_CHART_METADATA = {
  // the pinned release's floor, as `istio-charts check` enforces it
  kubeVersion: `>=1.${KUBERNETES_MIN_MINOR}.0-0`,
  home: 'https://istio.io',
  sources: ['https://github.com/istio/istio', 'https://github.com/istio/istio/tree/master/manifests/charts'],
  maintainers: [{ name: 'istio-charts maintainers' }],
  icon: 'https://istio.io/latest/favicons/android-192x192.png',
  license: 'Apache-2.0',
};

/** Chart.yaml's content (Artifact Hub reads kubeVersion, home, sources, maintainers and the annotations). */
export function chartMetadata(def: ChartDefinition): Record<string, unknown> {
  const { license, ...shared } = SHARED_CHART_METADATA;
  const annotations: Record<string, string> = { 'artifacthub.io/license': license };
  if (def.images?.length) {
    annotations['artifacthub.io/images'] = YAML.stringify(def.images.map((name) => ({ name, image: `${ISTIO_HUB}/${name}:${ISTIO_VERSION}` })));
  }
  return {
    apiVersion: 'v2',
    name: def.name,
    description: def.description,
    type: 'application',
    version: chartVersion(),
    appVersion: ISTIO_VERSION,
    keywords: ['istio', 'service-mesh'],
    ...shared,
    annotations,
  };
}

/** The repository root, where the sources named in headers are. */
const REPO = join(__dirname, '..', '..');

/** The helper file a named template goes to: the one named after the module that defines it. */
function helperFileOf(h: HelperDefinition): string {
  if (!h.file) throw new Error(`helper ${h.name} names no file: define it in templates/_<file>.ts with helperFile(__filename, ...)`);
  return h.file;
}

/**
 * The schema as shipped: without its `description`s. Helm stores the whole chart in every
 * release Secret, and istiod's descriptions cost 18 KB of its 167 KB there; helm never shows
 * them, and each key's text is in values.yaml (`helm show values`) and the README already.
 */
export function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (!node || typeof node !== 'object') return node;
  // a string-valued `description` is the keyword; an object under that name is a value key's schema
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, withoutDescriptions(v)]));
}

/** Every file of the chart, by path relative to the chart directory. */
export function renderChart(def: ChartDefinition): Map<string, string> {
  const files = new Map<string, string>();
  const chart = new Chart(helmApp(), def.name);
  def.build(chart);

  const chartYaml = chartMetadata(def);
  files.set('Chart.yaml', `${GENERATED_HEADER}\n${YAML.stringify(chartYaml, { version: '1.1', lineWidth: 0 })}`);
  files.set('values.yaml', valuesYaml(def.values, [GENERATED_HEADER.slice(2), `Values of the ${def.name} chart; every key is documented in README.md.`]));
  const legacy = def.legacy ?? [];
  const schema = withLegacyKeys(schemaOf(def.values), legacy);
  if (def.schemaDefinitions) schema.definitions = def.schemaDefinitions;
  files.set('values.schema.json', JSON.stringify(withoutDescriptions(schema), null, 1) + '\n');
  files.set('README.md', `<!-- ${GENERATED_HEADER.slice(2)} -->\n# ${def.name}\n\n${def.description}\n\n${def.readme.trim()}\n\n## Values\n\n${valuesTable(def.values)}`);
  const byFile = new Map<string, HelperDefinition[]>();
  for (const h of [...def.helpers, ...definedHelpers(def.name)]) byFile.set(helperFileOf(h), [...(byFile.get(helperFileOf(h)) ?? []), h]);
  for (const [file, defs] of byFile) {
    const source = `src/charts/${def.name}/templates/${file}.ts`;
    if (!existsSync(join(REPO, source))) throw new Error(`templates/${file}.tpl of ${def.name} has no source ${source}`);
    files.set(`templates/${file}.tpl`, renderHelpers(defs, source));
  }
  files.set('templates/NOTES.txt', [def.notes.trim(), deprecationNotes(legacy)].filter(Boolean).join('\n') + '\n');
  const checks = [...(legacy.some((k) => k.removed) ? [removedKeyChecks(legacy)] : []), ...(def.checks ?? [])];
  if (checks.length) {
    const from = `src/charts/${def.name}/templates/validate.ts`;
    const doc = templateComment(sourceDoc(from) ?? '');
    const prelude = `{{- include "${def.name}.values" . }}`;
    files.set('templates/validate.yaml', [templateHeader(from), ...doc, ...checks.slice(0, legacy.some((k) => k.removed) ? 1 : 0), prelude, ...(def.checks ?? [])].join('\n') + '\n');
  }
  if ([...byFile.values()].flat().some((h) => typeof h.body === 'string' && h.body.includes(DEFAULTS_FILE))) files.set(DEFAULTS_FILE, defaultsFile(def.values));
  for (const [path, content] of def.files ?? []) files.set(path, content);
  for (const t of templateFiles(chart)) files.set(`templates/${t.fileName}.yaml`, t.render());
  return files;
}
