/**
 * Upstream's charts, read from the istio.io/istio Go module of the pinned version (downloaded
 * through the Go module proxy into the module cache, never copied into this repository).
 */
import { join } from 'path';
import { moduleDir } from '../../src/tools/go';
import { ISTIO_MODULE } from '../../src/versions';

export function upstreamModuleDir(): string {
  return moduleDir(ISTIO_MODULE.path, ISTIO_MODULE.version);
}

/** Upstream chart directories by our chart names. */
export function upstreamChart(name: 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel'): string {
  const rel = { base: 'base', istiod: 'istio-control/istio-discovery', gateway: 'gateway', cni: 'istio-cni', ztunnel: 'ztunnel' }[name];
  return join(upstreamModuleDir(), 'manifests', 'charts', rel);
}
