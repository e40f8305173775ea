/**
 * The publish check: a version recorded in release/published.yaml must not be published again
 * with other contents; the same contents (repackaged from another checkout) pass.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { CHARTS_DIR } from '../../src/cli/paths';
import { helmBinary } from '../../src/tools/helm';
import { PUBLISHED_FILE, PublishedChart, conflicts, currentCharts, readPublished } from '../../src/release/check-published';

const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'istio-charts-published-'));
let current: PublishedChart[];

beforeAll(() => {
  current = currentCharts();
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const check = (published: string, extra: string[] = []) =>
  spawnSync('npx', ['ts-node', '--swc', 'src/release/check-published.ts', '--published', published, ...extra], { cwd: ROOT, encoding: 'utf8' });

test('the committed record parses, and the charts of this checkout do not conflict with it', () => {
  expect(conflicts(readPublished(PUBLISHED_FILE), current)).toEqual([]);
});

test('the digest is of the package contents: the charts copied with other modification times give the same digests', () => {
  const copy = join(work, 'charts');
  cpSync(CHARTS_DIR, copy, { recursive: true });
  const past = new Date('2020-01-01T00:00:00Z');
  const touch = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) touch(join(dir, e.name));
      utimesSync(join(dir, e.name), past, past);
    }
  };
  touch(copy);
  expect(currentCharts(copy)).toEqual(current);
  // while the archives themselves differ: helm writes the times into them
  const tgz = (dir: string) => {
    const out = mkdtempSync(join(work, 'pkg-'));
    spawnSync(helmBinary('v4'), ['package', join(dir, 'gateway'), '--destination', out]);
    return createHash('sha256').update(readFileSync(join(out, readdirSync(out)[0]))).digest('hex');
  };
  expect(tgz(copy)).not.toBe(tgz(CHARTS_DIR));
});

test('a planted entry of the current version with other contents fails the check, naming the chart and version', () => {
  const istiod = current.find((c) => c.name === 'istiod')!;
  const planted = join(work, 'conflict.yaml');
  writeFileSync(planted, YAML.stringify({ charts: [{ ...istiod, contents: `sha256:${'0'.repeat(64)}` }] }));
  const r = check(planted);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`istiod ${istiod.version} was published with other contents (sha256:${'0'.repeat(64)}, now ${istiod.contents})`);
});

test('--record adds the current versions; a second check then passes as "matches what was published"', () => {
  const file = join(work, 'record.yaml');
  writeFileSync(file, 'charts: []\n');
  expect(check(file, ['--record']).status).toBe(0);
  expect(readPublished(file).map((c) => c.name).sort()).toEqual(['base', 'cni', 'gateway', 'istiod', 'ztunnel']);
  const r = check(file);
  expect([r.status, r.stdout]).toEqual([0, expect.stringContaining(`istiod ${current[1].version} matches what was published`)]);
  expect(readFileSync(file, 'utf8')).toContain(current[1].contents);
});

test('a malformed record is refused, naming the entry', () => {
  const file = join(work, 'bad.yaml');
  writeFileSync(file, 'charts:\n  - name: istiod\n    version: 1.31.4\n    contents: md5:abc\n');
  expect(() => readPublished(file)).toThrow(`${file}: charts[0] needs name, version and contents (sha256:<64 hex>)`);
});
