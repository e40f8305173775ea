/**
 * The two manifest scanners the security tests run over every profile's render:
 * - kube-score, built from the Go module proxy like the other Go tools;
 * - checkov, from PyPI, installed with pip into a virtual environment of its own in the cache
 *   (it is a Python program with many dependencies, unlike the Envoy wheel we only unpack).
 * Both are pinned, so a new release of either cannot change what the tests find.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { binDir, cacheDir } from './cache';
import { goInstall, startingBuild } from './go';

export const KUBE_SCORE_VERSION = 'v1.20.0';
export const CHECKOV_VERSION = '3.3.30';

export function kubeScoreBinary(): string {
  const [path] = goInstall({
    label: `kube-score ${KUBE_SCORE_VERSION}`,
    packages: [`github.com/zegl/kube-score/cmd/kube-score@${KUBE_SCORE_VERSION}`],
    dir: binDir(`kube-score-${KUBE_SCORE_VERSION}`),
    binaries: ['kube-score'],
    ldflags: `-X main.version=${KUBE_SCORE_VERSION}`,
  });
  return path;
}

/** How to run checkov: the venv's python with checkov's entry point (argv follows). */
export interface CheckovCommand {
  readonly command: string;
  readonly args: string[];
}

/** Marks a venv whose pip install finished; a venv without it is a broken earlier attempt. */
const COMPLETE = '.installed';

/**
 * checkov in `<cache>/venv/checkov-<version>`, created on first use. The venv is built in a
 * per-process directory and renamed into place, so two test workers never share a half-built
 * one; it is run through its python (`python -m checkov.main`) because the console scripts'
 * shebangs would still name the directory it was built in.
 */
export function checkovCommand(): CheckovCommand {
  const dir = join(cacheDir(), 'venv', `checkov-${CHECKOV_VERSION}`);
  const command = join(dir, 'bin', 'python');
  const args = ['-m', 'checkov.main'];
  if (existsSync(join(dir, COMPLETE))) return { command, args };
  startingBuild(`checkov ${CHECKOV_VERSION}`);
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  process.stderr.write(`installing checkov ${CHECKOV_VERSION} from PyPI into ${dir} (first run on this machine only)...\n`);
  const started = Date.now();
  const steps: Array<[string, string[]]> = [
    ['python3', ['-m', 'venv', tmp]],
    [join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `checkov==${CHECKOV_VERSION}`]],
  ];
  for (const [cmd, argv] of steps) {
    const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      const hint = argv[1] === 'venv' ? 'is the venv module there (Debian: python3-venv)?' : 'is PyPI reachable?';
      throw new Error(`${cmd} ${argv.join(' ')} failed (${hint}):\n${(r.stderr || r.error?.message || '').trim().split('\n').slice(-15).join('\n')}`);
    }
  }
  writeFileSync(join(tmp, COMPLETE), `checkov==${CHECKOV_VERSION}\n`);
  if (existsSync(join(dir, COMPLETE))) rmSync(tmp, { recursive: true, force: true }); // another process finished first
  else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const check = spawnSync(command, [...args, '--version'], { encoding: 'utf8' });
  if (check.stdout.trim() !== CHECKOV_VERSION) throw new Error(`checkov in ${dir} reports ${JSON.stringify((check.stdout || check.stderr).trim())}, not ${CHECKOV_VERSION}`);
  process.stderr.write(`installed checkov ${CHECKOV_VERSION} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return { command, args };
}
