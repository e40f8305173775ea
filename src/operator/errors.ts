/** The one error the operator layer throws for bad user input. */

/** Bad input: `path` is the full offending path (`spec.components.pilot.k8s.replicas`), or a file name. */
export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InputError';
  }
}

/** A path for messages: `a.b[0].c`, with keys that are not plain words quoted (`podAnnotations["a.b/c"]`). */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^\[.*\]$/.test(s)) out += s;
    else if (/^[A-Za-z0-9_-]+$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** The known name closest to `name`, when one is close enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    let score = distance(lower, kl);
    // a prefix of the real name, or one sharing most of its start (replicas for replicaCount), counts as close
    let common = 0;
    while (common < lower.length && lower[common] === kl[common]) common++;
    if (kl.startsWith(lower) || lower.startsWith(kl) || (common >= 4 && common * 4 >= lower.length * 3)) score = Math.min(score, 1);
    if (score < bestScore) [best, bestScore] = [k, score];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep copy of JSON-like data. */
export const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** `over` laid on `base` as istioctl merges IstioOperator trees: maps merge, anything else (lists too) is replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return clone(over);
  const out: Record<string, unknown> = clone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : clone(v);
  return out;
}
