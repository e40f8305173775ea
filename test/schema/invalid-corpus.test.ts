/**
 * A corpus of invalid values files (test/schema/invalid/<chart>/<case>.yaml), each with one
 * mistake a user makes and a first line `# <key>: <the mistake>`: our charts must refuse every one
 * at `helm template` with an error naming the key. The same files are run against upstream's
 * charts of the pinned release, and the number upstream silently renders is printed.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { HELM_MAJORS, chart, helm } from '../support/helm';
import { upstreamChart } from '../support/upstream';

type ChartName = 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel';
const CHARTS: ChartName[] = ['istiod', 'gateway', 'base', 'cni', 'ztunnel'];
const CORPUS_DIR = join(__dirname, 'invalid');

interface Case {
  readonly chart: ChartName;
  readonly name: string;
  readonly file: string;
  readonly key: string;
  readonly mistake: string;
}

const CORPUS: Case[] = CHARTS.flatMap((c) =>
  readdirSync(join(CORPUS_DIR, c))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(CORPUS_DIR, c, f);
      const m = /^# ([^:\s]+): (.+)$/.exec(readFileSync(file, 'utf8').split('\n')[0]);
      if (!m) throw new Error(`${file}: the first line must be "# <key>: <the mistake>"`);
      return { chart: c, name: f.replace(/\.yaml$/, ''), file, key: m[1], mistake: m[2] };
    }),
);

const render = (major: 'v4' | 'v3', chartDir: string, file: string) => helm(major, ['template', 'release', chartDir, '-n', 'istio-system', '-f', file]);

/** The key as a path segment or a quoted name in helm's message, not just some substring of it. */
const namesKey = (stderr: string, key: string) => new RegExp(`[/'".]${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(['"/.:\\s]|$)`, 'm').test(stderr);

test('the corpus has at least 60 files across the charts', () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  for (const c of CHARTS) expect(CORPUS.filter((x) => x.chart === c).length).toBeGreaterThan(0);
});

describe.each(HELM_MAJORS)('our charts with helm %s', (major) => {
  test.each(CORPUS.map((c) => [`${c.chart}/${c.name}`, c] as const))('%s fails naming the key', (_name, c) => {
    const r = render(major, chart(c.chart), c.file);
    expect({ status: r.status === 0 ? 'rendered' : 'failed', namesKey: namesKey(r.stderr, c.key) }).toEqual({ status: 'failed', namesKey: true });
  });
});

test("upstream's charts (helm v4) silently render some of the corpus", () => {
  const accepted = CORPUS.filter((c) => render('v4', upstreamChart(c.chart), c.file).status === 0);
  const byChart = CHARTS.map((name) => `${name} ${accepted.filter((c) => c.chart === name).length}/${CORPUS.filter((c) => c.chart === name).length}`);
  console.log(
    `invalid values corpus: ${CORPUS.length} files (each one a test above that ours refuses); upstream renders ${accepted.length} without error (${byChart.join(', ')}):\n` +
      accepted.map((c) => `  ${c.chart}/${c.name}: ${c.mistake}`).join('\n'),
  );
  expect(accepted.length).toBeGreaterThan(0);
});
