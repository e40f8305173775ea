/**
 * The npm package: `npm pack` of a copy of this checkout's files (prepack compiles into lib/,
 * which the checkout's own CLI would pick up half-written while other test files run it), then
 * the packed tarball run with npx from an empty directory (npm installs its dependencies from
 * the registry), with helm taken from the PATH.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join } from 'path';
import { helmBinary } from '../../src/tools/helm';

const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'istio-charts-npm-'));
let tarball: string;
let files: string[];

/** The checkout's tracked files (as a fresh clone has them) in `dir`, with its node_modules linked. */
function copyCheckout(dir: string): void {
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (tracked.status !== 0) throw new Error(`git ls-files failed: ${tracked.stderr}`);
  for (const file of tracked.stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

beforeAll(() => {
  const checkout = join(work, 'checkout');
  copyCheckout(checkout);
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info.filename);
  files = info.files.map((f) => f.path);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the package carries the compiled CLI, the charts, the profiles’ values and the offline injector, and no tests or TypeScript', () => {
  expect(files).toEqual(expect.arrayContaining(['bin/istio-charts.js', 'lib/cli/main.js', 'lib/profiles/index.js', 'lib/crds/meshconfig.schema.json', 'charts/istiod/Chart.yaml', 'charts/base/files/crds/destinationrules.networking.istio.io.yaml', 'values/demo/istiod.yaml', 'src/cli/inject-offline/main.go', 'package.json']));
  expect(files.filter((f) => f.startsWith('test/') || f.startsWith('bench/') || /\.ts$/.test(f))).toEqual([]);
  // prepack's lib/ is removed again, so a checkout keeps running its sources
  expect(existsSync(join(work, 'checkout', 'lib'))).toBe(false);
});

describe('npx ./istio-charts-<version>.tgz from an otherwise empty directory', () => {
  const empty = join(work, 'empty');
  // node and npm, and helm from the PATH alone: no checkout, no dev tools
  const bin = join(work, 'bin');
  const env = () => ({ ...process.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HELM: '', npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' });
  const npx = (args: string[]) => spawnSync('npx', ['--yes', `./${basename(tarball)}`, ...args], { cwd: empty, env: env(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 540_000 });

  beforeAll(() => {
    mkdirSync(empty);
    copyFileSync(tarball, join(empty, basename(tarball)));
    mkdirSync(bin);
    symlinkSync(helmBinary('v4'), join(bin, 'helm'));
  });

  test('profile list', () => {
    const r = npx(['profile', 'list']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining("Error:") });
    expect(r.stdout).toMatch(/^default\s+base, pilot, ingressGateways/m);
    expect(r.stdout).toMatch(/^demo\s/m);
  }, 600_000);

  test('manifest generate renders the packed charts with the helm on the PATH', () => {
    const r = npx(['manifest', 'generate', '--set', 'profile=minimal']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining("Error:") });
    expect(r.stdout).toMatch(/^kind: Deployment\n(.*\n)*?\s+name: istiod$/m);
  }, 300_000);
});
