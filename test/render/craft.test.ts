/**
 * The generated charts read as carefully written ones: what a reviewer of `charts/` would
 * check by hand, measured on the committed files and on helm's own render.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { CHARTS_DIR, helm } from '../support/helm';
import { upstreamChart } from '../support/upstream';

const CHARTS = ['base', 'istiod', 'cni', 'ztunnel', 'gateway'] as const;
const SRC = join(__dirname, '..', '..', 'src');

const templatesOf = (dir: string) => readdirSync(join(dir, 'templates')).sort();
const read = (chart: string, file: string) => readFileSync(join(CHARTS_DIR, chart, 'templates', file), 'utf8');
const lineCount = (dir: string) =>
  templatesOf(dir).reduce((n, f) => n + readFileSync(join(dir, 'templates', f), 'utf8').split('\n').length - 1, 0);

/** Every TypeScript source under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe.each(CHARTS)('the %s chart as written', (chart) => {
  test('a default render has no comment-only document', () => {
    const r = helm('v4', ['template', chart, join(CHARTS_DIR, chart), '-n', 'istio-system']);
    expect(r.status).toBe(0);
    const documents = r.stdout.split(/^---$/m).filter((d) => d.trim() !== '');
    const commentOnly = documents.filter((d) => d.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#')));
    expect(commentOnly).toEqual([]);
    expect(documents.length).toBeGreaterThan(0);
  });

  test("its template lines are at most upstream's for the same objects", () => {
    const ours = lineCount(join(CHARTS_DIR, chart));
    const upstream = lineCount(upstreamChart(chart));
    console.log(`${chart}: ${ours} template lines, upstream ${upstream}`);
    expect(ours).toBeLessThanOrEqual(upstream);
  });

  test('every template file has one source of the same name, which its header names', () => {
    for (const file of templatesOf(join(CHARTS_DIR, chart))) {
      const source = `src/charts/${chart}/templates/${file.replace(/\.(yaml|tpl|txt)$/, '')}.ts`;
      expect([file, existsSync(join(SRC, '..', source))]).toEqual([file, true]);
      if (file !== 'NOTES.txt') expect([file, read(chart, file).split('\n')[0]]).toEqual([file, `{{- /* Generated from ${source} by npm run synth; do not edit. */}}`]);
    }
  });

  test('each non-trivial template says why in at least one comment of its own', () => {
    const silent = templatesOf(join(CHARTS_DIR, chart))
      .filter((f) => f !== 'NOTES.txt')
      .filter((f) => {
        const lines = read(chart, f).split('\n').slice(1);
        if (lines.length < 15) return false;
        return !lines.some((l) => /^\s*# /.test(l) || /\{\{-? ?\/\*/.test(l));
      });
    expect(silent).toEqual([]);
  });

  test('no literal in parentheses and no default under the guard that already tests it', () => {
    for (const file of templatesOf(join(CHARTS_DIR, chart))) {
      const text = read(chart, file);
      expect([file, text.match(/\("[^"]*"\)/g)]).toEqual([file, null]);
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        const guard = /\{\{-? if (\.Values[\w.]+) \}\}/.exec(line)?.[1];
        if (!guard) return;
        const body = lines.slice(i + 1, lines.findIndex((l, j) => j > i && /\{\{-? (end|else)/.test(l)));
        expect([file, guard, body.filter((l) => l.includes(`${guard} | default`))]).toEqual([file, guard, []]);
      });
    }
  });

  test("every object's name comes from the chart's names.ts", () => {
    const dir = join(SRC, 'charts', chart, 'templates');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const fromNames = new Set(
        [...text.matchAll(/import \{([^}]*)\} from '\.\.\/names'/g)].flatMap((m) => m[1].split(',').map((s) => s.trim())),
      );
      for (const m of text.matchAll(/metadata: \{\s*name: ([A-Za-z_]\w*)/g)) {
        expect([file, m[1], fromNames.has(m[1])]).toEqual([file, m[1], true]);
      }
    }
  });
});

test('when(x, x) is spelt ifSet(x) everywhere in src/', () => {
  // src/helm defines ifSet as exactly that
  const offenders = sources(SRC).filter((f) => !f.includes('/src/helm/')).filter((f) => /\bwhen\(([^,()]+(?:\([^()]*\))?), \1\)/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
