/**
 * `--set path=value` as istioctl reads it: the path is relative to the IstioOperator `spec`
 * (`profile=demo` sets spec.profile), split on unescaped dots (`\.` keeps a dot inside a key),
 * with `name[N]` and `name[key:value]` list selectors; the value is typed int, then float,
 * then bool, then string, except under the paths that are always strings (tags,
 * compatibility versions, proxyMetadata). Flags apply to the user's tree before the profile is
 * laid under it, so list indices count in the user's lists only (see planInstall).
 */
import { InputError, formatPath, isObject } from './errors';

export interface SetFlag {
  /** The flag as given. */
  readonly raw: string;
  /** Segments under `spec`: keys, and list selectors as `[N]` or `[key:value]`. */
  readonly path: string[];
  readonly value: unknown;
}

/** Paths (with `spec.` in front) whose values stay strings: `1.30` is a version, not 1.3. */
const ALWAYS_STRING = [
  'spec.tag',
  'spec.values.global.tag',
  'spec.compatibilityVersion',
  'spec.values.compatibilityVersion',
  'spec.meshConfig.defaultConfig.proxyMetadata.',
  'spec.values.meshConfig.defaultConfig.proxyMetadata.',
];

/** Segments of a `--set` path: `a.b\.c[0].d` is `a`, `b.c`, `[0]`, `d`. */
export function splitSetPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  const out: string[] = [];
  for (const p of parts.filter((x) => x !== '')) {
    // name[expr] is two segments; a bare [expr] is one
    const bracket = p.indexOf('[');
    if (bracket > 0 && p.endsWith(']')) out.push(p.slice(0, bracket), p.slice(bracket));
    else out.push(p);
  }
  return out;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = ['t', 'T', 'true', 'True', 'TRUE'];
const FALSE = ['f', 'F', 'false', 'False', 'FALSE'];

/** The typed value of a flag at `fullPath` (`spec.…`): int, float, bool, else the string with `\,` unescaped. */
export function parseSetValue(fullPath: string, raw: string): unknown {
  if (ALWAYS_STRING.some((p) => fullPath.startsWith(p))) return raw;
  if (INT.test(raw)) return parseInt(raw, 10);
  if (FLOAT.test(raw)) return parseFloat(raw);
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  return raw.replace(/\\,/g, ',');
}

/** One `--set` flag, parsed. */
export function parseSetFlag(flag: string): SetFlag {
  const eq = flag.indexOf('=');
  if (eq < 0) throw new InputError(`--set ${flag}`, 'expected path=value');
  const rawPath = flag.slice(0, eq).trim();
  const path = splitSetPath(rawPath);
  if (!path.length) throw new InputError(`--set ${flag}`, 'empty path');
  for (const seg of path) {
    if (seg.startsWith('[') && !listSelector(seg)) throw new InputError(formatPath(['spec', ...path]), `bad list selector ${seg}: use [N] or [key:value]`);
  }
  if (listSelector(path[0])) throw new InputError(formatPath(['spec', ...path]), 'a path cannot start with a list selector');
  return { raw: flag, path, value: parseSetValue(`spec.${rawPath}`, flag.slice(eq + 1).trim()) };
}

type Selector = { index: number } | { key: string; value: string };

function listSelector(seg: string): Selector | undefined {
  const m = /^\[(.*)\]$/.exec(seg);
  if (!m) return undefined;
  if (/^\d+$/.test(m[1])) return { index: Number(m[1]) };
  const colon = m[1].indexOf(':');
  if (colon > 0) return { key: m[1].slice(0, colon), value: m[1].slice(colon + 1) };
  return undefined;
}

/**
 * Set `flag` in `spec` (changed in place). Missing maps and lists are created; `[N]` past the
 * end appends; `[key:value]` must match an element (compared as strings).
 */
export function applySetFlag(spec: Record<string, unknown>, flag: SetFlag): void {
  const at = (i: number) => formatPath(['spec', ...flag.path.slice(0, i + 1)]);
  let node: Record<string, unknown> = spec;
  const segs = flag.path;
  for (let i = 0; i < segs.length; i++) {
    const key = segs[i];
    const next = segs[i + 1];
    const sel = next !== undefined ? listSelector(next) : undefined;
    if (!sel) {
      if (i === segs.length - 1) {
        node[key] = flag.value;
        return;
      }
      if (!isObject(node[key])) {
        if (node[key] !== undefined) throw new InputError(at(i), `is a ${kindOf(node[key])}, not a map`);
        node[key] = {};
      }
      node = node[key] as Record<string, unknown>;
      continue;
    }
    // key is a list, next selects an element of it
    if (node[key] === undefined) node[key] = [];
    const list = node[key];
    if (!Array.isArray(list)) throw new InputError(at(i), `is a ${kindOf(list)}, not a list`);
    let index: number;
    if ('index' in sel) {
      index = sel.index;
    } else {
      index = list.findIndex((e) => isObject(e) && String(e[sel.key]) === sel.value);
      if (index < 0) throw new InputError(at(i + 1), `no element with ${sel.key}=${sel.value}`);
    }
    const last = i + 1 === segs.length - 1;
    if (last) {
      if (index >= list.length) list.push(flag.value);
      else list[index] = flag.value;
      return;
    }
    if (index >= list.length) {
      list.push({});
      index = list.length - 1;
    }
    if (!isObject(list[index])) throw new InputError(at(i + 1), `is a ${kindOf(list[index])}, not a map`);
    node = list[index] as Record<string, unknown>;
    i++; // the selector is consumed
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'map' : typeof v;
}
