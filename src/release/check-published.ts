/**
 * `npm run check-published`: a published chart version is immutable. release/published.yaml
 * records what was published (chart, version, a digest of the chart's files); this packages the
 * charts as `npm run package` would and fails when a recorded version would now be published with
 * other contents. `-- --record` adds the current versions after a release.
 *
 * The digest is of the files inside the package (paths and bytes), not of the .tgz: helm writes
 * each file's modification time into the archive, so the same chart packaged from two checkouts
 * gives two different archives.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { ALL_CHARTS } from '../charts';
import { CHARTS_DIR } from '../cli/paths';
import { helmBinary } from '../tools/helm';

export const PUBLISHED_FILE = resolve(__dirname, '..', '..', 'release', 'published.yaml');

export interface PublishedChart {
  readonly name: string;
  readonly version: string;
  /** `sha256:<hex>` over the package's files, see contentDigest. */
  readonly contents: string;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** sha256 over each file of a chart package, in path order: its path, a NUL, its length, a NUL, its bytes. */
export function contentDigest(tgz: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'istio-charts-contents-'));
  try {
    run('tar', ['-xzf', tgz, '-C', dir]);
    const hash = createHash('sha256');
    for (const file of filesUnder(dir).map((f) => relative(dir, f)).sort()) {
      const bytes = readFileSync(join(dir, file));
      hash.update(`${file}\0${bytes.length}\0`).update(bytes);
    }
    return `sha256:${hash.digest('hex')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every chart packaged (unsigned: the signature is not part of the contents) with its digest. */
export function currentCharts(chartsDir: string = CHARTS_DIR, helm: string = process.env.HELM ?? helmBinary('v4')): PublishedChart[] {
  const out = mkdtempSync(join(tmpdir(), 'istio-charts-check-'));
  try {
    return ALL_CHARTS.map(({ name }) => {
      const printed = run(helm, ['package', join(chartsDir, name), '--destination', out]);
      const tgz = /saved it to: (.+\.tgz)/.exec(printed)?.[1]?.trim();
      if (!tgz || !existsSync(tgz)) throw new Error(`helm package ${name} printed no package path: ${printed.trim()}`);
      const meta = YAML.parse(run('tar', ['-xzOf', tgz, `${name}/Chart.yaml`])) as { version: string };
      return { name, version: String(meta.version), contents: contentDigest(tgz) };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function readPublished(file: string): PublishedChart[] {
  if (!existsSync(file)) return [];
  const doc = (YAML.parse(readFileSync(file, 'utf8')) ?? {}) as { charts?: PublishedChart[] };
  const charts = doc.charts ?? [];
  for (const [i, c] of charts.entries()) {
    if (typeof c?.name !== 'string' || typeof c.version !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(String(c.contents))) {
      throw new Error(`${file}: charts[${i}] needs name, version and contents (sha256:<64 hex>), got ${JSON.stringify(c)}`);
    }
  }
  return charts;
}

/** One line per recorded version that the current charts would republish with other contents. */
export function conflicts(published: PublishedChart[], current: PublishedChart[]): string[] {
  return current.flatMap((c) =>
    published
      .filter((p) => p.name === c.name && p.version === c.version && p.contents !== c.contents)
      .map((p) => `${c.name} ${c.version} was published with other contents (${p.contents}, now ${c.contents}): a changed chart needs a new version (bump CHARTS_FIX in src/versions.ts, then npm run synth)`),
  );
}

function writePublished(file: string, charts: PublishedChart[]): void {
  const header = '# What was published: chart, version and a digest of the package\'s files (npm run check-published -- --record).\n# CI fails when a version listed here would be published again with other contents.\n';
  writeFileSync(file, header + YAML.stringify({ charts: [...charts].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)) }));
}

function main(argv: string[]): void {
  const o = new Command('check-published')
    .option('--published <file>', 'the record of published versions', PUBLISHED_FILE)
    .option('--record', 'add the current chart versions to the record (after publishing them)')
    .parse(argv)
    .opts<{ published: string; record?: boolean }>();
  const published = readPublished(o.published);
  const current = currentCharts();
  const found = conflicts(published, current);
  if (found.length) {
    for (const line of found) console.error(`✘ ${line}`);
    process.exit(1);
  }
  for (const c of current) {
    const known = published.some((p) => p.name === c.name && p.version === c.version);
    console.log(`✔ ${c.name} ${c.version} ${known ? 'matches what was published' : 'is not published yet'}`);
  }
  if (o.record) {
    const fresh = current.filter((c) => !published.some((p) => p.name === c.name && p.version === c.version));
    writePublished(o.published, [...published, ...fresh]);
    console.log(`recorded ${fresh.length} version(s) in ${o.published}`);
  }
}

if (require.main === module) {
  try {
    main(process.argv);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
