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

/** Parenthesise an expression that is a pipeline or function call, so it can be an argument. */
export function group(expression: string): string {
  return /^[$.\w"]+$|^\(.*\)$/s.test(expression) && !/\s/.test(expression.replace(/"[^"]*"/g, '""'))
    ? expression
    : `(${expression})`;
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

/** `VALUE | default FALLBACK`: keeps the type style of the value. */
export function withDefault<T>(value: T, fallback: unknown): T {
  const whole = parseWholeHole(String(value));
  const style = whole?.style ?? 'quote';
  return hole<T>(`${group(exprOf(value))} | default ${group(exprOf(fallback))}`, style);
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
