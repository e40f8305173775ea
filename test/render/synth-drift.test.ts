/** charts/ is generated: regenerating into a temp dir must give exactly the committed files. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { synth } from '../../src/synth';
import { CHARTS_DIR } from '../support/helm';

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

test('npm run synth reproduces the committed charts byte for byte', () => {
  const out = tempDir('synth-');
  synth(out);
  const fresh = listFiles(out).map((f) => relative(out, f)).sort();
  const committed = listFiles(CHARTS_DIR).map((f) => relative(CHARTS_DIR, f)).sort();
  expect(committed).toEqual(fresh);
  const stale = fresh.filter((f) => readFileSync(join(out, f), 'utf8') !== readFileSync(join(CHARTS_DIR, f), 'utf8'));
  if (stale.length) throw new Error(`charts/ is out of date, run npm run synth: ${stale.join(', ')}`);
});

test('synth is deterministic', () => {
  const a = tempDir('synth-a-');
  const b = tempDir('synth-b-');
  synth(a);
  synth(b);
  for (const f of listFiles(a)) expect(readFileSync(f, 'utf8')).toBe(readFileSync(join(b, relative(a, f)), 'utf8'));
});
