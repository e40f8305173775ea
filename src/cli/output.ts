/** Plain-text output helpers: aligned tables, YAML/JSON documents, leaf differences. */
import * as YAML from 'yaml';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export type OutputFormat = 'yaml' | 'json';

export function formatDocument(value: unknown, format: OutputFormat): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : YAML.stringify(value, { lineWidth: 0 });
}

export function parseFormat(value: string): OutputFormat {
  if (value !== 'yaml' && value !== 'json') throw new Error(`-o ${value}: expected yaml or json`);
  return value;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);


/** Leaf paths where two documents differ, as [path, a, b]. */
export function diffPaths(a: unknown, b: unknown, path = ''): Array<[string, unknown, unknown]> {
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [[path || '.', a, b]];
}

export function short(value: unknown): string {
  if (value === undefined) return '(unset)';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
