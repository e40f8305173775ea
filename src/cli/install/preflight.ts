/**
 * What install checks in the cluster before it applies anything, so that a plan the cluster
 * will refuse fails at once, with nothing half-applied, rather than at the readiness timeout.
 */
import { InstallPlan, Release } from '../../operator';
import { CommandFailed } from '../errors';
import { describeError, Kube, statusOf } from '../kube';

/** The node agents' pods use host paths, host networking and NET_ADMIN/SYS_ADMIN: only Pod Security's `privileged` level admits them. */
const PRIVILEGED_CHARTS: Partial<Record<Release['chart'], string>> = {
  cni: 'the CNI node agent (istio-cni-node)',
  ztunnel: 'ztunnel',
};

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** A node agent bound for a namespace whose Pod Security label would reject its pods. */
export async function podSecurityPreflight(kube: Kube, plan: InstallPlan): Promise<void> {
  for (const release of plan.releases) {
    const what = PRIVILEGED_CHARTS[release.chart];
    if (!what) continue;
    let level: string | undefined;
    try {
      level = (await kube.core.readNamespace({ name: release.namespace })).metadata?.labels?.[ENFORCE];
    } catch (e) {
      // helm creates a missing namespace, unlabelled: the cluster's default level applies
      if (statusOf(e) === 404) continue;
      throw new CommandFailed(`reading namespace ${release.namespace}: ${describeError(e)}`);
    }
    if (level === undefined || level === 'privileged') continue;
    throw new CommandFailed(
      `components.${release.component}.namespace ${release.namespace}: the namespace enforces Pod Security "${level}", which rejects the pods of ${what}; ` +
        `they need "privileged" (kubectl label namespace ${release.namespace} ${ENFORCE}=privileged --overwrite), or choose another namespace`,
    );
  }
}
