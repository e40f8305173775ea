/** Where built and extracted binaries live: outside the repo, keyed by version, reused by every run. */
import { homedir } from 'os';
import { join } from 'path';

export function cacheDir(): string {
  return process.env.ISTIO_CHARTS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'istio-charts');
}

/** Directory for one binary at one version, e.g. bin/helm-v3.22.0. */
export function binDir(key: string): string {
  return join(cacheDir(), 'bin', key);
}
