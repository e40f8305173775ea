/** The statistics and verdict wording of `npm run bench` (bench/stats.ts). */
import { median, quantile, summarize, table, verdict } from '../../bench/stats';

test('median of odd and even counts, order of input irrelevant', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
});

test('p99 by nearest rank: of 300 samples the 297th smallest, of 100 the 99th, of fewer than 100 the largest', () => {
  const xs = Array.from({ length: 300 }, (_, i) => 300 - i); // 300..1, unsorted on purpose
  expect(quantile(xs, 0.99)).toBe(297);
  expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.99)).toBe(99);
  expect(quantile([5, 1, 9, 3], 0.99)).toBe(9);
  expect(quantile([5, 1, 9, 3], 0.5)).toBe(3);
});

test('summarize reports count, median, p99, min and max', () => {
  expect(summarize([10, 30, 20])).toEqual({ n: 3, median: 20, p99: 30, min: 10, max: 30 });
});

test('bad input is refused naming the value', () => {
  expect(() => summarize([])).toThrow(/no samples/);
  expect(() => median([1, NaN])).toThrow(/not a finite number: NaN/);
  expect(() => quantile([1], 0)).toThrow(/quantile 0 is outside/);
  expect(() => verdict({ what: 'x', maxRatio: 1 }, 1, 0)).toThrow(/x: cannot compare ours 1 with upstream 0/);
});

test('a met target says the ratio and the target', () => {
  const v = verdict({ what: 'webhook p50', maxRatio: 0.8 }, 7, 10);
  expect(v.met).toBe(true);
  expect(v.line).toBe('ok   webhook p50: 0.70x upstream (target <= 0.80x)');
});

test('a target met exactly at the printed precision is met', () => {
  expect(verdict({ what: 'render', maxRatio: 1 }, 1.004, 1).met).toBe(true);
  expect(verdict({ what: 'render', maxRatio: 1 }, 1.006, 1).met).toBe(false);
});

test('a missed target says by how much, relative and in the figure unit', () => {
  const v = verdict({ what: 'webhook p99', maxRatio: 0.8 }, 11, 10, (x) => `${x.toFixed(1)} ms`);
  expect(v.met).toBe(false);
  expect(v.ratio).toBeCloseTo(1.1);
  // 1.10 / 0.80 = 1.375: 38% over; upstream 10 ms at 0.8x allows 8 ms
  expect(v.line).toBe('MISS webhook p99: 1.10x upstream (target <= 0.80x): 38% over target; ours 11.0 ms, needs <= 8.0 ms');
});

test('table pads columns: first left-aligned, the rest right-aligned', () => {
  expect(table([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\n---  --\nccc   d');
});
