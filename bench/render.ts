/**
 * Render cost: `helm template` wall time and peak RSS of helm (from /usr/bin/time, Debian's
 * `time` package) for each chart, for the whole default install (base + istiod + an ingress
 * gateway, summed per run) and for istiod with 1, 10 and 50 revision tags; ours and upstream's
 * runs interleaved, the same helm for both. Also the rendered bytes (an input to the release
 * size figure) and `npm run synth` wall time, which has no upstream counterpart.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { helmBinary } from '../src/tools/helm';
import { CHARTS_DIR } from '../test/support/helm';
import { upstreamChart } from '../test/support/upstream';
import { Figure, Summary, Verdict, fmt, median, summarize, table, verdict } from './stats';

type ChartName = 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel';
/** Both sides render the same official images, so image strings do not differ in size. */
export const SAME_IMAGES = ['--set', 'global.hub=docker.io/istio', '--set', 'global.tag=1.31.4'];

export interface RenderCase {
  readonly name: string;
  readonly chart: ChartName;
  readonly release: string;
  readonly args: string[];
}

const tags = (n: number) => ['--set', `revisionTags={${Array.from({ length: n }, (_, i) => `tag${i}`).join(',')}}`];

export const RENDER_CASES: RenderCase[] = [
  { name: 'base', chart: 'base', release: 'istio-base', args: [] },
  { name: 'istiod', chart: 'istiod', release: 'istiod', args: [] },
  { name: 'gateway', chart: 'gateway', release: 'istio-ingressgateway', args: [] },
  { name: 'istiod, 1 revision tag', chart: 'istiod', release: 'istiod', args: tags(1) },
  { name: 'istiod, 10 revision tags', chart: 'istiod', release: 'istiod', args: tags(10) },
  { name: 'istiod, 50 revision tags', chart: 'istiod', release: 'istiod', args: tags(50) },
  // the node agents, as the default (CNI capture) and ambient profiles install them
  { name: 'cni', chart: 'cni', release: 'istio-cni', args: [] },
  { name: 'cni, profile=ambient', chart: 'cni', release: 'istio-cni', args: ['--set', 'profile=ambient'] },
  { name: 'ztunnel, profile=ambient', chart: 'ztunnel', release: 'ztunnel', args: ['--set', 'profile=ambient'] },
];
/** The charts of a default install, rendered one after the other. */
const DEFAULT_INSTALL = ['base', 'istiod', 'gateway'];

export const chartPath = (side: 'ours' | 'upstream', chart: ChartName) => (side === 'ours' ? join(CHARTS_DIR, chart) : upstreamChart(chart));

interface Sample {
  readonly ms: number;
  readonly rssKb: number;
  readonly bytes: number;
}

const HAVE_TIME = statSync('/usr/bin/time', { throwIfNoEntry: false }) !== undefined;

/** One `helm template`, under /usr/bin/time for helm's peak RSS (%M, KiB). */
function helmTemplate(chartDir: string, c: RenderCase): Sample {
  const helm = helmBinary('v4');
  const args = ['template', c.release, chartDir, '-n', 'istio-system', ...SAME_IMAGES, ...c.args];
  const started = process.hrtime.bigint();
  const r = HAVE_TIME
    ? spawnSync('/usr/bin/time', ['-f', '%M', helm, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed: ${r.stderr}`);
  const rssKb = HAVE_TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, rssKb, bytes: Buffer.byteLength(r.stdout) };
}

export interface RenderRow {
  readonly name: string;
  readonly ours: { ms: Summary; rssKb: number; bytes: number };
  readonly upstream: { ms: Summary; rssKb: number; bytes: number };
}

/** Rendered bytes of each chart's default render, by side; the release size figure reuses them. */
export interface RenderedBytes {
  readonly ours: Record<string, number>;
  readonly upstream: Record<string, number>;
}

export function measureRender(runs: number): { rows: RenderRow[]; bytes: RenderedBytes } {
  const samples = new Map<string, { ours: Sample[]; upstream: Sample[] }>();
  for (const c of RENDER_CASES) {
    const s = { ours: [] as Sample[], upstream: [] as Sample[] };
    // one untimed run each warms the page cache and helm's own start
    helmTemplate(chartPath('ours', c.chart), c);
    helmTemplate(chartPath('upstream', c.chart), c);
    for (let i = 0; i < runs; i++) {
      s.ours.push(helmTemplate(chartPath('ours', c.chart), c));
      s.upstream.push(helmTemplate(chartPath('upstream', c.chart), c));
    }
    samples.set(c.name, s);
  }
  const side = (xs: Sample[]) => ({ ms: summarize(xs.map((x) => x.ms)), rssKb: median(xs.map((x) => x.rssKb)), bytes: xs[0].bytes });
  const rows: RenderRow[] = RENDER_CASES.map((c) => ({ name: c.name, ours: side(samples.get(c.name)!.ours), upstream: side(samples.get(c.name)!.upstream) }));
  // the whole install: run i of each chart, summed (time, bytes); its peak is the largest helm
  const whole = (which: 'ours' | 'upstream'): Sample[] =>
    Array.from({ length: runs }, (_, i) => {
      const parts = DEFAULT_INSTALL.map((n) => samples.get(n)![which][i]);
      return { ms: parts.reduce((t, p) => t + p.ms, 0), rssKb: Math.max(...parts.map((p) => p.rssKb)), bytes: parts.reduce((t, p) => t + p.bytes, 0) };
    });
  rows.splice(3, 0, { name: 'default install (all three)', ours: side(whole('ours')), upstream: side(whole('upstream')) });
  const bytesOf = (which: 'ours' | 'upstream') => Object.fromEntries(DEFAULT_INSTALL.map((n) => [n, samples.get(n)![which][0].bytes]));
  return { rows, bytes: { ours: bytesOf('ours'), upstream: bytesOf('upstream') } };
}

/** `npm run synth` into a scratch directory (the committed charts are left alone). */
export function measureSynth(runs: number): Summary {
  const root = join(__dirname, '..');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    try {
      const started = process.hrtime.bigint();
      const r = spawnSync('npm', ['run', '--silent', 'synth', '--', join(out, 'charts'), join(out, 'values')], { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npm run synth failed: ${r.stderr}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return summarize(times);
}

const range = (s: Summary, f: (x: number) => string) => `${f(s.median)} (${f(s.min)}-${f(s.max)})`;

export function renderFigure(runs: number, synthRuns: number): Figure & { bytes: RenderedBytes } {
  const { rows, bytes } = measureRender(runs);
  const synth = measureSynth(synthRuns);
  const verdicts: Verdict[] = [];
  const lines: string[][] = [['', 'time ours, median (min-max)', 'upstream', 'ratio', 'peak RSS ours', 'upstream', 'ratio']];
  for (const r of rows) {
    lines.push([
      r.name,
      range(r.ours.ms, fmt.ms),
      range(r.upstream.ms, fmt.ms),
      (r.ours.ms.median / r.upstream.ms.median).toFixed(2),
      fmt.mib(r.ours.rssKb * 1024),
      fmt.mib(r.upstream.rssKb * 1024),
      (r.ours.rssKb / r.upstream.rssKb).toFixed(2),
    ]);
    verdicts.push(verdict({ what: `render time, ${r.name}`, maxRatio: 1 }, r.ours.ms.median, r.upstream.ms.median, fmt.ms));
    if (HAVE_TIME) verdicts.push(verdict({ what: `render peak RSS, ${r.name}`, maxRatio: 1 }, r.ours.rssKb * 1024, r.upstream.rssKb * 1024, fmt.mib));
  }
  const text = [
    `helm template (${helmBinary('v4')}), ${runs} interleaved runs per side and case${HAVE_TIME ? '' : '; no /usr/bin/time, so no peak RSS'}`,
    table(lines),
    '',
    `npm run synth: ${range(synth, fmt.ms)}, ${synth.n} run(s) (no upstream counterpart)`,
  ].join('\n');
  return { title: 'Render', text, verdicts, bytes };
}
