/**
 * scripts/prerequisites.sh, which `npm start`, `npm test` and .ci/run run before any build:
 * on a machine lacking a tool it stops within seconds, naming the tool, its Debian package and
 * the command that installs it, and nothing is built.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const which = (tool: string) => execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();

/** A PATH holding this machine's tools, but for those left out. */
function pathWithout(dir: string, leftOut: string[]): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  for (const tool of ['node', 'npm', 'go', 'ip', 'iptables', 'curl', 'openssl', 'setpriv', 'unshare', 'nsenter', 'sysctl', 'gpg', 'uname', 'id', 'sed', 'sort', 'tr', 'sh']) {
    if (!leftOut.includes(tool)) symlinkSync(which(tool), join(bin, tool));
  }
  symlinkSync(python, join(bin, 'python3'));
  return bin;
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prerequisites-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('this machine has everything: the check passes quietly', () => {
  const r = spawnSync('sh', [join(root, 'scripts', 'prerequisites.sh')], { encoding: 'utf8' });
  expect([r.status, r.stderr]).toEqual([0, '']);
});

test('without iptables, `npm start` stops within seconds naming it and its package, and builds nothing', () => {
  const cache = join(dir, 'cache');
  mkdirSync(cache);
  const started = Date.now();
  const r = spawnSync(join(pathWithout(dir, ['iptables']), 'npm'), ['start', '--', '--once'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { HOME: process.env.HOME, PATH: join(dir, 'bin'), ISTIO_CHARTS_NO_APT: '1', ISTIO_CHARTS_CACHE: cache, GOPATH: process.env.GOPATH ?? join(process.env.HOME!, 'go') },
  });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('prerequisite: iptables is missing (Debian package iptables): apt-get install -y iptables');
  expect(r.stderr.split('\n').filter((l) => l.startsWith('prerequisite:'))).toHaveLength(1);
  expect(r.stderr).toContain('nothing was built');
  expect(r.stdout).not.toContain('kube-apiserver');
  expect(readdirSync(cache)).toEqual([]);
});

test('each missing piece gets its own line: Go and two packages', () => {
  const r = spawnSync('sh', [join(root, 'scripts', 'prerequisites.sh')], { encoding: 'utf8', env: { PATH: pathWithout(dir, ['go', 'gpg', 'nsenter']), ISTIO_CHARTS_NO_APT: '1' } });
  expect(r.status).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('prerequisite:'));
  expect(lines).toEqual([
    expect.stringMatching(/^prerequisite: Go 1\.26 or newer is required .*found: none.*https:\/\/go\.dev\/dl\//),
    'prerequisite: nsenter is missing (Debian package util-linux): apt-get install -y util-linux',
    'prerequisite: gpg is missing (Debian package gnupg): apt-get install -y gnupg',
  ]);
});
