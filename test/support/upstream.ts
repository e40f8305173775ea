/**
 * Upstream's charts, read from the istio.io/istio Go module of the pinned version (downloaded
 * through the Go module proxy into the module cache, never copied into this repository).
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { ISTIO_MODULE } from '../../src/versions';

let dir: string | undefined;

export function upstreamModuleDir(): string {
  if (dir) return dir;
  const ref = `${ISTIO_MODULE.path}@${ISTIO_MODULE.version}`;
  const out = execFileSync('go', ['mod', 'download', '-json', ref], { encoding: 'utf8', cwd: '/', maxBuffer: 16 * 1024 * 1024 });
  const info = JSON.parse(out);
  if (!info.Dir) throw new Error(`go mod download ${ref}: ${info.Error}`);
  dir = info.Dir as string;
  return dir;
}

/** Upstream chart directories by our chart names. */
export function upstreamChart(name: 'base' | 'istiod' | 'gateway'): string {
  const rel = { base: 'base', istiod: 'istio-control/istio-discovery', gateway: 'gateway' }[name];
  return join(upstreamModuleDir(), 'manifests', 'charts', rel);
}
