/**
 * The CNCF distribution registry (the OCI registry `helm push` talks to), built from the Go
 * module proxy into the cache; the release tests push the packaged charts to one on loopback.
 */
import { binDir } from './cache';
import { goInstall } from './go';

export const DISTRIBUTION_VERSION = 'v3.1.2';

export function registryBinary(): string {
  const [path] = goInstall({
    label: `the distribution registry ${DISTRIBUTION_VERSION}`,
    packages: [`github.com/distribution/distribution/v3/cmd/registry@${DISTRIBUTION_VERSION}`],
    dir: binDir(`distribution-registry-${DISTRIBUTION_VERSION}`),
    binaries: ['registry'],
    ldflags: `-X github.com/distribution/distribution/v3/version.version=${DISTRIBUTION_VERSION}`,
  });
  return path;
}
