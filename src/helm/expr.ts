/**
 * Scalar holes: Go-template expressions carried through TypeScript as strings.
 *
 * A hole is a string token `⟦q:EXPR⟧` (quote when it fills a whole scalar) or `⟦r:EXPR⟧`
 * (emit raw: numbers, booleans, names). Tokens are typed as the value they stand for, so
 * `replicas: V.pilot.replicaCount` type-checks, but at run time they are strings: never
 * compute with them in TypeScript, build expressions with the helpers below instead.
 */

const OPEN = '\u27e6';
const CLOSE = '\u27e7';
const TOKEN = /\u27e6([qr]):((?:(?!\u27e7)[\s\S])*)\u27e7/g;

/** Objects standing for a whole section of the values (e.g. `V.global`) carry their path here. */
export const EXPR = Symbol('helm.expression');

/** How a hole prints when it is the whole scalar. */
export type HoleStyle = 'quote' | 'raw';

/** Make a token for a Go-template expression (without the braces). */
export function hole<T = string>(expression: string, style: HoleStyle = 'quote'): T {
  return `${OPEN}${style === 'quote' ? 'q' : 'r'}:${expression}${CLOSE}` as unknown as T;
}

/** A hole is any value whose string form carries at least one token. */
export function hasHole(value: unknown): value is string {
  return typeof value === 'string' && value.includes(OPEN);
}

/** If `value` is exactly one token, its parts. */
export function parseWholeHole(value: string): { expression: string; style: HoleStyle } | undefined {
  const m = /^\u27e6([qr]):((?:(?!\u27e7)[\s\S])*)\u27e7$/.exec(value);
  if (!m) return undefined;
  return { expression: m[2], style: m[1] === 'q' ? 'quote' : 'raw' };
}

/** Split a string into literal text and hole expressions, in order. */
export function splitHoles(value: string): Array<{ text: string } | { expression: string }> {
  const parts: Array<{ text: string } | { expression: string }> = [];
  let last = 0;
  for (const m of value.matchAll(TOKEN)) {
    if (m.index! > last) parts.push({ text: value.slice(last, m.index) });
    parts.push({ expression: m[2] });
    last = m.index! + m[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last) });
  return parts;
}

/**
 * The Go-template expression of a value: a token yields its expression, a literal yields a
 * Go literal. Used to build conditions and pipelines out of refs.
 */
export function exprOf(value: unknown): string {
  if (typeof value === 'string') {
    const whole = parseWholeHole(value);
    if (whole) return whole.expression;
    if (hasHole(value)) {
      // a string mixing text and holes becomes a printf
      const parts = splitHoles(value);
      const format = parts.map((p) => ('text' in p ? p.text.replace(/%/g, '%%') : '%v')).join('');
      const args = parts.filter((p): p is { expression: string } => 'expression' in p).map((p) => group(p.expression));
      return `printf ${JSON.stringify(format)} ${args.join(' ')}`;
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object' && EXPR in value) return (value as { [EXPR]: string })[EXPR];
  throw new Error(`cannot use ${JSON.stringify(value)} in a template expression`);
}

/** A single term: a string, number or boolean literal, a variable or field chain (`$x.a`, `.Values.a.b`). */
const ATOM = /^(?:\u2039\w+\u203a|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|nil|\$?\w*(?:\.\w+)*|\$|\.)$/;

/** Index just past the parenthesis closing the one at `start` (strings skipped), or -1. */
function closingParen(e: string, start: number): number {
  let depth = 0;
  for (let i = start; i < e.length; i++) {
    const c = e[i];
    if (c === '"') {
      for (i++; i < e.length && e[i] !== '"'; i++) if (e[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Parenthesise an expression that is a pipeline or function call, so it can be an argument.
 * Literals, variables, field chains and `(...)` groups (optionally followed by `.field`s) stay
 * as they are: `default "x"`, never `default ("x")`.
 */
export function group(expression: string): string {
  if (ATOM.test(expression)) return expression;
  if (expression.startsWith('(')) {
    const end = closingParen(expression, 0);
    if (end > 0 && /^(?:\.\w+)*$/.test(expression.slice(end))) return expression;
  }
  return `(${expression})`;
}

function call<T>(fn: string, args: unknown[], style: HoleStyle = 'raw'): T {
  return hole<T>(`${fn} ${args.map((a) => group(exprOf(a))).join(' ')}`, style);
}

/** A Go-template condition or value; typed loosely since it is only ever a token. */
export type Cond = boolean | string | number;

export const not = (a: Cond): boolean => call('not', [a]);
export const and = (...a: Cond[]): boolean => call('and', a);
export const or = (...a: Cond[]): boolean => call('or', a);
export const eq = (a: unknown, b: unknown): boolean => call('eq', [a, b]);
export const ne = (a: unknown, b: unknown): boolean => call('ne', [a, b]);
export const gt = (a: unknown, b: unknown): boolean => call('gt', [a, b]);
/** `has VALUE LIST`: is the value in the list. */
export const has = (item: unknown, list: unknown): boolean => call('has', [item, list]);
/** `hasKey MAP KEY`. */
export const hasKey = (map: unknown, key: string): boolean => call('hasKey', [map, key]);

/** `list A B ...`: a list literal, e.g. for `has`. */
export const list = (...items: unknown[]): unknown[] => call('list', items);
/** `coalesce A B ...`: the first value that is neither empty nor null. */
export const coalesce = <T>(...values: T[]): T => call('coalesce', values, 'quote');
/** `merge (deepCopy A) B`: A's keys win over B's, and neither value is changed. */
export const mergeOver = <T>(a: T, b: T): T => call('merge', [call('deepCopy', [a]), b]);
/** `fromYamlArray TEXT`: a list parsed from YAML text (e.g. an include). */
export const fromYamlArray = (text: unknown): unknown[] => call('fromYamlArray', [text]);
/** The value is present and not null (`false` and `0` are set; upstream's null defaults are not). */
export const isSet = (value: unknown): boolean => not(call('kindIs', ['invalid', value]));

/** `VALUE | default FALLBACK`: keeps the type style of the value. */
export function withDefault<T>(value: T, fallback: unknown): T {
  const whole = parseWholeHole(String(value));
  const style = whole?.style ?? 'quote';
  // the value starts the pipeline, so it needs no parentheses even when it is a call
  return hole<T>(`${exprOf(value)} | default ${group(exprOf(fallback))}`, style);
}

/** `ternary A B COND`. */
export function ternary<T>(whenTrue: T, whenFalse: T, cond: Cond): T {
  const style = parseWholeHole(String(whenTrue))?.style ?? (typeof whenTrue === 'string' ? 'quote' : 'raw');
  return hole<T>(`ternary ${group(exprOf(whenTrue))} ${group(exprOf(whenFalse))} ${group(exprOf(cond))}`, style);
}

/** A raw Go-template expression, quoted when it fills a scalar. */
export const expr = <T = string>(expression: string, style: HoleStyle = 'quote'): T => hole<T>(expression, style);

/** `.Release.*` holes. */
export const Release = {
  name: hole('.Release.Name'),
  namespace: hole('.Release.Namespace'),
  service: hole('.Release.Service'),
  isUpgrade: hole<boolean>('.Release.IsUpgrade', 'raw'),
  isInstall: hole<boolean>('.Release.IsInstall', 'raw'),
};

/** `include "NAME" .` as a scalar (unquoted: helper output is already a plain name). */
export const includeValue = (name: string): string => hole(`include ${JSON.stringify(name)} .`, 'raw');

/**
 * The value as a string scalar (`| quote`), e.g. a number ref in ConfigMap data or an env
 * value. A template literal cannot do this: `${V.replicas}` is the very same token.
 */
export function str(value: unknown): string {
  return hole(exprOf(value), 'quote');
}

/** The value written unquoted, e.g. an int-or-percent string like `25%` that must stay untyped. */
export function raw<T = string>(value: unknown): T {
  return hole<T>(exprOf(value), 'raw');
}

/**
 * A reference read so that a null parent gives nothing instead of an error: `(.Values.a.b).c`
 * (a user may set a section to null; Helm then drops it).
 */
export function nilSafe<T>(ref: T): T {
  const whole = parseWholeHole(ref as unknown as string);
  const m = whole && /^(\.[\w.]+)\.(\w+)$/.exec(whole.expression);
  if (!whole || !m) throw new Error(`nilSafe needs a value reference, not ${String(ref)}`);
  return hole<T>(`(${m[1]}).${m[2]}`, whole.style);
}

/** `int VALUE`: a number from a value that may arrive as a string or float (e.g. `--set x=1`). */
export const int = (value: unknown): number => call('int', [value]);

/** `toString VALUE`, e.g. to compare a value that may be a boolean or a string with `"false"`. */
export const toString = (value: unknown): string => call('toString', [value], 'quote');

/** `regexMatch PATTERN VALUE`: does the value match the (RE2) pattern. */
export const regexMatch = (pattern: string, value: unknown): boolean => call('regexMatch', [pattern, value]);

/**
 * Locals: an expression a template names once (`{{- $revision := ... }}`) and then refers to.
 * A local stands in expressions as a placeholder; the file (or helper) that uses it declares
 * it at its top when it is used more than once, and writes the expression in place otherwise.
 */
const LOCALS = new Map<string, string>();
const LOCAL_OPEN = '\u2039';
const LOCAL_CLOSE = '\u203a';
export const LOCAL_PLACEHOLDER = /\u2039(\w+)\u203a/g;

/** A named local for `value` (written `$name` where the template declares it). */
export function local<T>(name: string, value: T): T {
  const expression = exprOf(value);
  const known = LOCALS.get(name);
  if (known !== undefined && known !== expression) throw new Error(`local $${name} is already ${known}`);
  LOCALS.set(name, expression);
  const style = parseWholeHole(String(value))?.style ?? (typeof value === 'string' ? 'quote' : 'raw');
  return hole<T>(`${LOCAL_OPEN}${name}${LOCAL_CLOSE}`, style);
}

/** The expression a local stands for. */
export function localExpression(name: string): string {
  const e = LOCALS.get(name);
  if (e === undefined) throw new Error(`unknown local $${name}`);
  return e;
}

/** The locals an emitted text refers to, with how often. */
export function localUses(text: string): Map<string, number> {
  const uses = new Map<string, number>();
  for (const m of text.matchAll(LOCAL_PLACEHOLDER)) uses.set(m[1], (uses.get(m[1]) ?? 0) + 1);
  return uses;
}

/**
 * Replace local placeholders in an expression: `$name` for declared locals, the expression
 * itself (parenthesised unless it is the whole expression) for the others.
 */
export function substituteLocals(expression: string, declared: ReadonlySet<string> | undefined): string {
  if (!expression.includes(LOCAL_OPEN)) return expression;
  const whole = /^\u2039(\w+)\u203a$/.exec(expression);
  if (whole && !declared?.has(whole[1])) return substituteLocals(localExpression(whole[1]), declared);
  return expression.replace(LOCAL_PLACEHOLDER, (_, name: string) =>
    declared?.has(name) ? `$${name}` : group(substituteLocals(localExpression(name), declared)));
}
