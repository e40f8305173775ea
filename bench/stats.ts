/**
 * The statistics and wording every figure of `npm run bench` shares: a summary of samples
 * (median, p99 by nearest rank, min-max, count), ratios ours / upstream, and the one-line
 * verdict on a target, saying by how much a missed target is missed.
 */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new Error('no samples to summarize');
  const bad = xs.find((x) => !Number.isFinite(x));
  if (bad !== undefined) throw new Error(`a sample is not a finite number: ${bad}`);
  return [...xs].sort((a, b) => a - b);
}

/** The q-quantile (0 < q <= 1) by nearest rank: the smallest sample with at least q of them at or below it. */
export function quantile(xs: readonly number[], q: number): number {
  if (!(q > 0 && q <= 1)) throw new Error(`quantile ${q} is outside (0, 1]`);
  const s = sorted(xs);
  return s[Math.ceil(q * s.length) - 1];
}

/** The middle sample, or the mean of the middle two. */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(xs: readonly number[]): Summary {
  const s = sorted(xs);
  return { n: s.length, median: median(s), p99: quantile(s, 0.99), min: s[0], max: s[s.length - 1] };
}

export interface Target {
  /** What is compared, e.g. "webhook p99, direct /inject". */
  readonly what: string;
  /** The largest acceptable ours / upstream ratio. */
  readonly maxRatio: number;
}

export interface Verdict {
  readonly met: boolean;
  readonly ratio: number;
  readonly line: string;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/**
 * `ok   <what>: 0.74x upstream (target <= 0.80x)`, or for a miss
 * `MISS <what>: 1.10x upstream (target <= 0.80x): 38% over target; ours 11.0 ms, needs <= 8.0 ms`.
 * `format` renders the absolute values of the miss in the figure's unit.
 */
export function verdict(t: Target, ours: number, upstream: number, format: (x: number) => string = (x) => x.toPrecision(3)): Verdict {
  if (!(upstream > 0) || !(ours >= 0)) throw new Error(`${t.what}: cannot compare ours ${ours} with upstream ${upstream}`);
  if (!(t.maxRatio > 0)) throw new Error(`${t.what}: target ratio ${t.maxRatio} must be positive`);
  const ratio = ours / upstream;
  const head = `${t.what}: ${ratio.toFixed(2)}x upstream (target <= ${t.maxRatio.toFixed(2)}x)`;
  // compared at the printed precision, so a line never reads "0.80x ... MISS"
  const met = Number(ratio.toFixed(2)) <= t.maxRatio;
  if (met) return { met, ratio, line: `ok   ${head}` };
  const allowed = upstream * t.maxRatio;
  return { met, ratio, line: `MISS ${head}: ${pct(ratio / t.maxRatio - 1)} over target; ours ${format(ours)}, needs <= ${format(allowed)}` };
}

/** Units for tables and verdicts. */
export const fmt = {
  ms: (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`),
  s: (x: number) => `${x.toFixed(1)} s`,
  /** from nanoseconds */
  us: (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1000).toFixed(1)} µs`),
  kib: (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`,
  mib: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  int: (x: number) => Math.round(x).toLocaleString('en-US'),
};

/** A fixed-width text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** What a figure hands back to the runner: its printed section and its verdicts. */
export interface Figure {
  readonly title: string;
  readonly text: string;
  readonly verdicts: Verdict[];
}
