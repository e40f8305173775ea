/**
 * charts/ and the profile values files under values/ are generated: regenerating into a temp
 * dir must give exactly the committed files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { synth, synthValues } from '../../src/synth';
import { CHARTS_DIR } from '../support/helm';

const VALUES_DIR = join(__dirname, '..', '..', 'values');

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** The files of `committed` that `fresh` must reproduce, and those that differ. */
function compare(fresh: string, committed: string, generated: (rel: string) => boolean, what: string): void {
  const freshFiles = listFiles(fresh).map((f) => relative(fresh, f)).sort();
  const committedFiles = listFiles(committed).map((f) => relative(committed, f)).filter(generated).sort();
  expect(committedFiles).toEqual(freshFiles);
  const stale = freshFiles.filter((f) => readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'));
  if (stale.length) throw new Error(`${what} is out of date, run npm run synth: ${stale.join(', ')}`);
}

test('npm run synth reproduces the committed charts byte for byte', () => {
  const out = tempDir('synth-');
  synth(out);
  compare(out, CHARTS_DIR, () => true, 'charts/');
});

// values/<dir>/ is generated; files directly under values/ (egress-gateway.yaml) are hand-written
const isGenerated = (rel: string) => rel.includes('/');

test('npm run synth reproduces the committed values/<profile>/ files byte for byte', () => {
  const out = tempDir('synth-values-');
  synthValues(out);
  expect(listFiles(out).length).toBeGreaterThan(0);
  compare(out, VALUES_DIR, isGenerated, 'values/');
});

test('synthValues replaces generated directories and keeps hand-written files', () => {
  const out = tempDir('synth-values-keep-');
  writeFileSync(join(out, 'mine.yaml'), 'a: 1\n');
  mkdirSync(join(out, 'retired-profile'));
  writeFileSync(join(out, 'retired-profile', 'istiod.yaml'), 'b: 2\n');
  synthValues(out);
  expect(readFileSync(join(out, 'mine.yaml'), 'utf8')).toBe('a: 1\n');
  expect(existsSync(join(out, 'retired-profile'))).toBe(false);
});

test('synth is deterministic', () => {
  const a = tempDir('synth-a-');
  const b = tempDir('synth-b-');
  synth(a);
  synth(b);
  synthValues(join(a, 'values'));
  synthValues(join(b, 'values'));
  for (const f of listFiles(a)) expect(readFileSync(f, 'utf8')).toBe(readFileSync(join(b, relative(a, f)), 'utf8'));
});
