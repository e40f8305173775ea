/**
 * The cluster's Kubernetes version against the charts: each chart's `kubeVersion` (the pinned
 * release's floor, KUBERNETES_MIN_MINOR), or that floor for a chart that sets none.
 * No cluster access here: the caller passes the version /version reported.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ISTIO_VERSION, KUBERNETES_MAX_TESTED_MINOR, KUBERNETES_MIN_MINOR } from '../../versions';
import { availableCharts, chartDir } from '../paths';
import { Result, error, info, ok, parseKubeVersion, satisfiesKubeVersion, warning } from './findings';

/** The cluster's version against each chart's kubeVersion, or the release's floor when a chart sets none. */
export function kubernetesVersion(gitVersion: string, out: Result[]): void {
  const v = parseKubeVersion(gitVersion);
  if (!v) {
    out.push(warning('kubernetes-version', `cannot read the Kubernetes version "${gitVersion}"`, `make sure the cluster runs Kubernetes 1.${KUBERNETES_MIN_MINOR} or newer`));
    return;
  }
  const floor = `>= 1.${KUBERNETES_MIN_MINOR}.0-0`;
  const failed: string[] = [];
  for (const chart of availableCharts()) {
    const meta = YAML.parse(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8')) as { kubeVersion?: string };
    const constraint = meta.kubeVersion ?? floor;
    if (!satisfiesKubeVersion(gitVersion, constraint)) failed.push(`${chart} (${constraint})`);
  }
  if (failed.length) {
    out.push(error('kubernetes-version', `Kubernetes ${gitVersion} is outside the supported range of ${failed.join(', ')}; Istio ${ISTIO_VERSION} needs 1.${KUBERNETES_MIN_MINOR} or newer`, `upgrade the cluster to Kubernetes 1.${KUBERNETES_MIN_MINOR}+`));
  } else if (v.major === 1 && v.minor > KUBERNETES_MAX_TESTED_MINOR) {
    out.push(info('kubernetes-version', `Kubernetes ${gitVersion} is newer than 1.${KUBERNETES_MAX_TESTED_MINOR}, the newest Istio ${ISTIO_VERSION} is tested with`));
  } else {
    out.push(ok('kubernetes-version', `Kubernetes ${gitVersion} is supported (1.${KUBERNETES_MIN_MINOR} to 1.${KUBERNETES_MAX_TESTED_MINOR})`));
  }
}
