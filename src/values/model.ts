/**
 * The typed values model: one tree per chart, written once, from which come `values.yaml`
 * (with a comment on every key), `values.schema.json`, the README's values table and the
 * typed references (`V.base.excludedCRDs`) that constructs put into templates.
 */
import * as YAML from 'yaml';
import { EXPR, hole } from '../helm/expr';

export type JsonSchema = Record<string, unknown>;

export interface FieldOptions {
  /**
   * JSON-schema type when the default does not tell it (null defaults, int-or-string).
   * @default derived from the default value
   */
  readonly type?: string | string[];
  /** Allowed values. */
  readonly enum?: readonly unknown[];
  /** Schema of list items. @default any */
  readonly items?: JsonSchema;
  /** Further schema keywords (minimum, pattern, ...). */
  readonly schema?: JsonSchema;
  /** Rows for the README beyond the description (e.g. an example). */
  readonly example?: string;
}

export class Field<T> {
  constructor(
    public readonly defaultValue: T,
    public readonly doc: string,
    public readonly options: FieldOptions = {},
  ) {}
}

export interface SectionOptions {
  /**
   * Accept keys the model does not list (shared `global` values, pass-through maps).
   * @default false: unknown keys are errors that name the key
   */
  readonly open?: boolean;
  /**
   * The section's keys are also accepted at the top level (upstream's charts merge
   * `pilot.*` and top-level keys); they are documented and defaulted only in the section.
   * @default false
   */
  readonly alsoAtRoot?: boolean;
}

export type Fields = { readonly [key: string]: Field<any> | Section<any> };

export class Section<F extends Fields> {
  constructor(
    public readonly doc: string,
    public readonly fields: F,
    public readonly options: SectionOptions = {},
  ) {}
}

export const field = <T>(defaultValue: T, doc: string, options?: FieldOptions) => new Field<T>(defaultValue, doc, options);
/**
 * A key without a default: documented, in the schema and typed for templates, but absent from
 * values.yaml (a template tests it for presence, so a default would always be set).
 */
export const unsetField = <T>(doc: string, options?: FieldOptions) => new Field<T>(undefined as T, doc, options);
const isUnset = (node: Field<unknown> | Section<Fields>) => node instanceof Field && node.defaultValue === undefined;
export const section = <F extends Fields>(doc: string, fields: F, options?: SectionOptions) => new Section(doc, fields, options);

/** The typed references to a model: leaves are holes typed as their value. */
export type Refs<F extends Fields> = {
  readonly [K in keyof F]: F[K] extends Field<infer T> ? T : F[K] extends Section<infer G> ? Refs<G> & SectionRef : never;
};
export interface SectionRef {
  readonly [EXPR]: string;
}

export function refsOf<F extends Fields>(model: Section<F>, path = '.Values'): Refs<F> {
  const out: Record<string | symbol, unknown> = { [EXPR]: path };
  for (const [key, node] of Object.entries(model.fields)) {
    const p = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `(index ${path} ${JSON.stringify(key)})`;
    out[key] = node instanceof Section ? refsOf(node, p) : hole(p, typeof node.defaultValue === 'string' ? 'quote' : 'raw');
  }
  return out as Refs<F>;
}

/**
 * Where a chart ships its defaults as data (the values.yaml defaults, without the comments).
 * Here, not beside the chart helpers, so the CLI reads it without loading the emission layer.
 */
export const DEFAULTS_FILE = 'files/defaults.yaml';

/** The defaults as a plain object. */
export function defaultsOf(model: Section<Fields>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(model.fields)
      .filter(([, n]) => !isUnset(n))
      .map(([k, n]) => [k, n instanceof Section ? defaultsOf(n) : n.defaultValue]),
  );
}

function schemaType(f: Field<unknown>): string | string[] | undefined {
  if (f.options.type) return f.options.type;
  const v = f.defaultValue;
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fieldSchema(f: Field<unknown>): JsonSchema {
  const s: JsonSchema = { description: f.doc };
  const type = schemaType(f);
  // an anyOf in the options states the types itself
  if (type && !f.options.schema?.anyOf) s.type = type;
  if (f.options.enum) s.enum = f.options.enum;
  if (f.options.items) s.items = f.options.items;
  return { ...s, ...(f.options.schema ?? {}) };
}

/**
 * The JSON schema of a model. Known sections are closed so a misspelt key fails with its
 * name; the root also tolerates `global` and `enabled`, which parents set on subcharts.
 */
export function schemaOf(model: Section<Fields>, root = true): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, node] of Object.entries(model.fields)) {
    properties[key] = node instanceof Section ? schemaOf(node, false) : fieldSchema(node);
  }
  if (root) {
    for (const [sectionKey, node] of Object.entries(model.fields)) {
      if (!(node instanceof Section) || !node.options.alsoAtRoot) continue;
      for (const [key, child] of Object.entries<Field<unknown> | Section<Fields>>(node.fields)) {
        if (key in properties) throw new Error(`${key} is both a top-level key and an alias of a section key`);
        const schema = child instanceof Section ? schemaOf(child, false) : fieldSchema(child);
        properties[key] = { ...schema, description: `Same as ${sectionKey}.${key} (${sectionKey}.${key} wins when both are set). ${schema.description ?? ''}`.trim() };
      }
    }
    properties.global ??= { type: 'object', description: 'Values shared by all Istio charts.' };
    properties.enabled ??= { type: 'boolean', description: 'Set by a parent chart that includes this one.' };
  }
  const s: JsonSchema = root ? { $schema: 'http://json-schema.org/draft-07/schema#' } : {};
  return {
    ...s,
    type: 'object',
    description: model.doc || undefined,
    properties,
    additionalProperties: model.options.open ? true : false,
  };
}

const yaml11 = (v: unknown) => YAML.stringify(v, { version: '1.1', lineWidth: 0 }).trimEnd();

function commentLines(doc: string, indent: string): string[] {
  return doc.split('\n').map((l) => `${indent}#${l ? ' ' + l : ''}`);
}

/** `values.yaml`: every key with its comment, sections separated by blank lines at the top. */
export function valuesYaml(model: Section<Fields>, header: string[]): string {
  const lines = [...header.map((h) => `# ${h}`)];
  const walk = (s: Section<Fields>, depth: number) => {
    const indent = '  '.repeat(depth);
    for (const [key, node] of Object.entries(s.fields)) {
      if (depth === 0) lines.push('');
      const k = yaml11({ [key]: null }).replace(/: null$/, '');
      lines.push(...commentLines(node.doc, indent));
      if (node instanceof Section) {
        // a section of keys without defaults is an empty map, its keys shown commented out
        lines.push(Object.keys(defaultsOf(node)).length ? `${indent}${k}:` : `${indent}${k}: {}`);
        walk(node, depth + 1);
        continue;
      }
      if (isUnset(node)) {
        lines.push(`${indent}# ${k}: (unset)`);
        continue;
      }
      const v = node.defaultValue;
      const isEmpty = v === null || typeof v !== 'object' || Object.keys(v as object).length === 0;
      if (isEmpty) {
        // a number field (a float, not an integer) keeps its decimal point, as upstream writes `1.0`
        const float = node.options.type === 'number' && Number.isInteger(v);
        lines.push(`${indent}${k}: ${float ? `${v}.0` : yaml11(v)}`);
      } else {
        lines.push(`${indent}${k}:`, ...yaml11(v).split('\n').map((l) => `${indent}  ${l}`));
      }
    }
  };
  walk(model, 0);
  return lines.join('\n') + '\n';
}

/** The README values table rows (key, type, default, description). */
export function valuesTable(model: Section<Fields>): string {
  const rows = ['| Key | Type | Default | Description |', '|---|---|---|---|'];
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const walk = (s: Section<Fields>, prefix: string) => {
    for (const [key, node] of Object.entries(s.fields)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (node instanceof Section) {
        walk(node, path);
        continue;
      }
      const type = schemaType(node) ?? 'any';
      const dflt = isUnset(node) ? '(unset)' : JSON.stringify(node.defaultValue);
      rows.push(`| \`${path}\` | ${Array.isArray(type) ? type.join(' or ') : type} | \`${cell(dflt)}\` | ${cell(node.doc)} |`);
    }
  };
  walk(model, '');
  return rows.join('\n') + '\n';
}
