/**
 * The emitter: writes a value tree (plain objects, arrays, scalars, holes and markers) as
 * Go-template YAML text, the way a careful chart author would write it by hand.
 *
 * - block style only, lists not indented under their key, no folding, no aliases;
 * - scalars formatted as YAML 1.1 so `yes`, `on`, `y` stay quoted for Helm's parser;
 * - control lines start with `{{-` at the indentation of the content they guard;
 * - inside `range`, root references (`.Values`, `.Release`, ...) are written with `$`.
 */
import * as YAML from 'yaml';
import { group, hasHole, parseWholeHole, splitHoles, substituteLocals } from './expr';
import { Comment, FileText, Include, Marker, Range, ToYaml, Verbatim, When, isMarker, markerOf } from './markers';

export interface Context {
  /** Inside a `range` body, where `.` is the loop element. */
  readonly inRange: boolean;
  /** Conditions known to hold here (the `if`s around): a `default` on them is redundant. */
  readonly guards?: readonly string[];
}

const TOP: Context = { inRange: false };

/** A line stays in flow style (`verbs: ["get", "list"]`) up to this width. */
const FLOW_WIDTH = 120;

/**
 * How local placeholders are written while emitting: kept (a first pass that counts uses),
 * or substituted (`$name` for the declared locals, the expression for the others).
 */
let locals: { keep: true } | { keep: false; declared: ReadonlySet<string> } = { keep: false, declared: new Set() };

/** Emit with local placeholders kept (`keep`) or substituted against `declared`. */
export function withLocals<T>(mode: { keep: true } | { keep: false; declared: ReadonlySet<string> }, fn: () => T): T {
  const saved = locals;
  locals = mode;
  try {
    return fn();
  } finally {
    locals = saved;
  }
}

/** Write one document (an object) at indentation 0; `inRange` when it sits in a `range`. */
export function emitDocument(value: Record<string, unknown>, ctx: Context = TOP): string[] {
  return emitEntries(value, 0, ctx);
}

/** Write any value tree as the content of a key (used for helpers and tests). */
export function emitValue(value: unknown, indent = 0): string[] {
  if (Array.isArray(value)) return emitItems(value, indent, TOP);
  if (isMarker(value)) return emitMarker(value, 'entries', indent, TOP);
  if (isMapping(value)) return emitEntries(value, indent, TOP);
  return [pad(indent) + scalar(value, indent, TOP)];
}

function pad(n: number): string {
  return ' '.repeat(n);
}

const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TERM = '(?:"(?:[^"\\\\]|\\\\.)*"|[^\\s()]+)';

/** Under `if X`, `X | default Y` is just X. */
function dropGuardedDefaults(expression: string, guards: readonly string[] = []): string {
  for (const g of guards) {
    const e = escapeRegExp(g);
    expression = expression
      .replace(new RegExp(`\\(${e} \\| default ${TERM}\\)`, 'g'), () => g)
      .replace(new RegExp(`(^|[\\s(])${e} \\| default ${TERM}(?=$|[\\s)])`, 'g'), (_, before: string) => before + g);
  }
  return expression;
}

/** Rewrite an expression for the scope it is written in (guards, locals, `$` inside a range). */
export function scoped(expression: string, ctx: Context): string {
  expression = dropGuardedDefaults(expression, ctx.guards);
  if (!locals.keep) expression = substituteLocals(expression, locals.declared);
  if (!ctx.inRange) return expression;
  return expression
    .replace(/(^|[\s(])\.(Values|Release|Chart|Capabilities|Files|Template)\b/g, '$1$.$2')
    .replace(/(\s)\.(?=\s|\)|$)/g, '$1$');
}

function control(indent: number, text: string, ctx: Context): string {
  return `${pad(indent)}{{- ${scoped(text, ctx)} }}`;
}

/** Unwrap cdk8s union classes (IntOrString, Quantity) and resolver placeholders. */
function unwrap(value: unknown): unknown {
  if (typeof value === 'string') return markerOf(value) ?? value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isMarker(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && 'value' in (value as object)) {
      return (value as { value: unknown }).value;
    }
  }
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isMarker(value);
}

function emitEntries(obj: Record<string, unknown>, indent: number, ctx: Context): string[] {
  const lines: string[] = [];
  for (const [key, raw] of Object.entries(obj)) {
    if (raw === undefined) continue;
    const spread = markerOf(key);
    if (spread) lines.push(...emitMarker(spread, 'entries', indent, ctx));
    else lines.push(...emitField(key, unwrap(raw), indent, ctx));
  }
  return lines;
}

function emitField(key: string, value: unknown, indent: number, ctx: Context): string[] {
  const head = `${pad(indent)}${formatKey(key, ctx)}:`;
  if (isMarker(value)) return emitMarkerField(head, key, value, indent, ctx);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${head} []`];
    const flow = flowList(value, ctx);
    if (flow !== undefined && head.length + 1 + flow.length <= FLOW_WIDTH) return [`${head} ${flow}`];
    return [head, ...emitItems(value, indent, ctx)];
  }
  if (isMapping(value)) {
    return Object.keys(value).length === 0 ? [`${head} {}`] : [head, ...emitEntries(value, indent + 2, ctx)];
  }
  return [`${head} ${scalar(value, indent, ctx)}`];
}

/** `["a", "b", 3]` for a list of plain scalars (or quoted holes), else undefined. */
function flowList(items: unknown[], ctx: Context): string | undefined {
  const out: string[] = [];
  for (const raw of items) {
    const item = unwrap(raw);
    if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else if (typeof item === 'string' && !hasHole(item)) out.push(escapeBraces(JSON.stringify(item)));
    else if (typeof item === 'string' && parseWholeHole(item)?.style === 'quote') out.push(scalar(item, 0, ctx));
    else return undefined;
  }
  return `[${out.join(', ')}]`;
}

/** `# text` lines at `indent`. */
function commentLines(text: string, indent: number): string[] {
  return text.split('\n').map((l) => escapeBraces(`${pad(indent)}# ${l}`.trimEnd()));
}

function emitItems(items: unknown[], indent: number, ctx: Context): string[] {
  const lines: string[] = [];
  for (const raw of items) {
    const item = unwrap(raw);
    if (item === undefined) continue;
    if (item instanceof Comment) {
      lines.push(...commentLines(item.text, indent), ...emitItems(item.subject === undefined ? [] : [item.subject], indent, ctx));
    } else if (isMarker(item)) {
      lines.push(...emitMarker(item, 'items', indent, ctx));
    } else if (isMapping(item) || Array.isArray(item)) {
      const body = isMapping(item) ? emitEntries(item, indent + 2, ctx) : emitItems(item, indent + 2, ctx);
      const first = body[0] ?? '';
      if (body.length === 0) lines.push(`${pad(indent)}- ${isMapping(item) ? '{}' : '[]'}`);
      else if (first.trimStart().startsWith('{{')) lines.push(`${pad(indent)}-`, ...body);
      else lines.push(`${pad(indent)}- ${first.slice(indent + 2)}`, ...body.slice(1));
    } else {
      lines.push(`${pad(indent)}- ${scalar(item, indent + 2, ctx)}`);
    }
  }
  return lines;
}

type Mode = 'entries' | 'items';

/** A marker spliced into a mapping (`entries`) or a list (`items`). */
function emitMarker(m: Marker, mode: Mode, indent: number, ctx: Context): string[] {
  const body = (value: unknown, c: Context) => {
    const v = unwrap(value);
    if (mode === 'items') return emitItems(Array.isArray(v) ? v : [v], indent, c);
    if (isMarker(v)) return emitMarker(v, mode, indent, c);
    if (!isMapping(v)) throw new Error(`a marker spread into a mapping must hold a mapping, got ${JSON.stringify(v)}`);
    return emitEntries(v, indent, c);
  };
  if (m instanceof When) {
    return branches(m, indent, ctx, (v, c) => body(v, c));
  }
  if (m instanceof Comment) {
    return [...commentLines(m.text, indent), ...(m.subject === undefined ? [] : body(m.subject, ctx))];
  }
  if (m instanceof ToYaml) {
    return [
      control(indent, `with ${m.expression}`, ctx),
      `${pad(indent)}{{- toYaml . | nindent ${indent} }}`,
      `${pad(indent)}{{- end }}`,
    ];
  }
  if (m instanceof Range) {
    const inner = { inRange: true };
    return [control(indent, `range ${m.variables} := ${m.expression}`, ctx), ...body(m.body, inner), `${pad(indent)}{{- end }}`];
  }
  if (m instanceof Include) {
    // at the margin (a helper's own body) the include is a line of its own, as written by hand
    if (indent === 0 && mode === 'entries') return [`{{ ${scoped(`include ${JSON.stringify(m.name)} ${group(m.argument)}`, ctx)} }}`];
    return [control(indent, `include ${JSON.stringify(m.name)} ${group(m.argument)} | nindent ${indent}`, ctx)];
  }
  if (m instanceof Verbatim) {
    return escapeBraces(m.text)
      .split('\n')
      .map((l) => (l === '' ? '' : pad(indent) + l));
  }
  throw new Error('unknown marker');
}

/** A marker standing as the value of `key`. */
function emitMarkerField(head: string, key: string, m: Marker, indent: number, ctx: Context): string[] {
  if (m instanceof When) {
    // when every branch writes the key with content below it, write the key once, above the if
    const chain: Array<[string | undefined, unknown]> = [];
    let rest: unknown = m;
    for (; rest instanceof When; rest = rest.otherwise) chain.push([rest.condition, rest.then]);
    if (rest !== undefined) {
      chain.push([undefined, rest]);
      const written = chain.map(([cond, v]) => emitField(key, unwrap(v), indent, cond ? guarded(ctx, cond) : ctx));
      if (written.every((w) => w.length > 1 && w[0] === head)) {
        return [head, ...branches(m, indent, ctx, (v, c) => emitField(key, unwrap(v), indent, c).slice(1))];
      }
    }
    return branches(m, indent, ctx, (v, c) => emitField(key, unwrap(v), indent, c));
  }
  if (m instanceof Comment) {
    return [...commentLines(m.text, indent), ...emitField(key, unwrap(m.subject), indent, ctx)];
  }
  if (m instanceof ToYaml) {
    if (m.always) return [`${head} {{- toYaml ${group(scoped(m.expression, ctx))} | nindent ${indent + 2} }}`];
    // a key with holes is written inside the `with`, where `.` is the value: it reads `$.Values`
    const inWith = hasHole(key) ? `${pad(indent)}${formatKey(key, { ...ctx, inRange: true })}:` : head;
    return [control(indent, `with ${m.expression}`, ctx), `${inWith} {{- toYaml . | nindent ${indent + 2} }}`, `${pad(indent)}{{- end }}`];
  }
  if (m instanceof Range) {
    // a loop as a field value produces a list
    return [head, ...emitMarker(m, 'items', indent, ctx)];
  }
  if (m instanceof FileText) {
    return [head, `${pad(indent + 2)}{{- ${scoped(`.Files.Get ${group(m.path)}`, ctx)} | nindent ${indent + 2} }}`];
  }
  if (m instanceof Include && m.asText) {
    return [`${head} |-`, ...emitMarker(m, 'entries', indent + 2, ctx)];
  }
  return [head, ...emitMarker(m, 'entries', indent + 2, ctx)];
}

const guarded = (ctx: Context, condition: string): Context => ({ ...ctx, guards: [...(ctx.guards ?? []), condition] });

/** `if` / `else if` / `else` / `end`: an else branch that is itself a `when` continues the chain. */
function branches(m: When, indent: number, ctx: Context, write: (v: unknown, c: Context) => string[]): string[] {
  const lines = [control(indent, `if ${m.condition}`, ctx), ...write(m.then, guarded(ctx, m.condition))];
  let rest = m.otherwise;
  while (rest instanceof When) {
    lines.push(control(indent, `else if ${rest.condition}`, ctx), ...write(rest.then, guarded(ctx, rest.condition)));
    rest = rest.otherwise;
  }
  if (rest !== undefined) lines.push(`${pad(indent)}{{- else }}`, ...write(rest, ctx));
  lines.push(`${pad(indent)}{{- end }}`);
  return lines;
}

function formatKey(key: string, ctx: Context): string {
  if (hasHole(key)) return scalar(key, 0, ctx);
  return escapeBraces(YAML.stringify({ [key]: null }, { version: '1.1' }).replace(/: null\n$|:\n$/, ''));
}

/** Literal `{{` in content must not start a template action. */
function escapeBraces(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** A scalar written at `indent` (continuation lines of block scalars are indented past it). */
export function scalar(value: unknown, indent: number, ctx: Context = TOP): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new Error(`not a scalar: ${JSON.stringify(value)}`);
  const whole = parseWholeHole(value);
  if (whole) {
    const e = scoped(whole.expression, ctx);
    return whole.style === 'quote' ? `{{ ${e} | quote }}` : `{{ ${e} }}`;
  }
  if (hasHole(value)) {
    // text and holes mixed: one double-quoted scalar
    const body = splitHoles(value)
      .map((p) => ('text' in p ? escapeBraces(doubleQuoted(p.text)) : `{{ ${scoped(p.expression, ctx)} }}`))
      .join('');
    return `"${body}"`;
  }
  const text = YAML.stringify({ k: value }, { version: '1.1', lineWidth: 0, minContentWidth: 0 })
    .replace(/^k: /, '')
    .replace(/\n$/, '');
  return escapeBraces(text.split('\n').join(`\n${pad(indent)}`));
}

function doubleQuoted(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
