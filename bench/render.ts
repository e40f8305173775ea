/**
 * `npm run bench`: our charts against upstream's of the pinned release, measured in the same
 * run with the same helm: `helm template` wall time (median of interleaved runs), peak memory
 * of helm, rendered bytes and template source lines. Prints ratios (ours / upstream); lower is
 * better for time and memory. Numbers vary by machine; the ratios are what to compare.
 */
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { helmBinary } from '../src/tools/helm';
import { CHARTS_DIR } from '../test/support/helm';
import { upstreamChart } from '../test/support/upstream';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CHARTS = ['base', 'istiod', 'gateway'] as const;
const SAME_IMAGES = ['--set', 'global.hub=docker.io/istio', '--set', 'global.tag=1.31.4'];

interface Sample {
  readonly ms: number;
  readonly maxRssKb: number;
  readonly bytes: number;
}

/** One helm template run under /usr/bin/time when present (for peak memory), else timed alone. */
function run(chartDir: string, release: string): Sample {
  const helm = helmBinary('v4');
  const args = ['template', release, chartDir, '-n', 'istio-system', ...SAME_IMAGES];
  const withTime = statSync('/usr/bin/time', { throwIfNoEntry: false }) !== undefined;
  const started = process.hrtime.bigint();
  const r = withTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', helm, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`helm template ${chartDir} failed: ${r.stderr}`);
  const maxRssKb = withTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, maxRssKb, bytes: Buffer.byteLength(r.stdout) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function templateLines(chartDir: string): number {
  const dir = join(chartDir, 'templates');
  return readdirSync(dir).reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').length, 0);
}

function main(): void {
  console.log(`helm template with ${helmBinary('v4')}, ${RUNS} interleaved runs per chart; ratio = ours / upstream\n`);
  console.log(['chart', 'time ms (ours/up)', 'ratio', 'peak RSS MB (ours/up)', 'ratio', 'output KB (ours/up)', 'template lines (ours/up)'].join(' | '));
  for (const name of CHARTS) {
    const ours = join(CHARTS_DIR, name);
    const theirs = upstreamChart(name);
    const release = name === 'gateway' ? 'istio-ingressgateway' : name;
    run(ours, release);
    run(theirs, release); // warm the page cache
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(run(ours, release));
      b.push(run(theirs, release));
    }
    const t = [median(a.map((s) => s.ms)), median(b.map((s) => s.ms))];
    const m = [median(a.map((s) => s.maxRssKb)) / 1024, median(b.map((s) => s.maxRssKb)) / 1024];
    console.log(
      [
        name.padEnd(7),
        `${t[0].toFixed(0)} / ${t[1].toFixed(0)}`,
        (t[0] / t[1]).toFixed(2),
        `${m[0].toFixed(0)} / ${m[1].toFixed(0)}`,
        (m[0] / m[1]).toFixed(2),
        `${(a[0].bytes / 1024).toFixed(0)} / ${(b[0].bytes / 1024).toFixed(0)}`,
        `${templateLines(ours)} / ${templateLines(theirs)}`,
      ].join(' | '),
    );
  }
}

main();
