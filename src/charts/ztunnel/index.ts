/** The `ztunnel` chart: the ambient mode node proxy, a DaemonSet served by istiod. */
import { ChartDefinition } from '../chart-definition';
import { ISTIO_HUB, ISTIO_VERSION } from '../../versions';
import { ZTUNNEL_LEGACY_KEYS, ztunnelValues } from '../../values/ztunnel';
import { profileFiles } from '../common/profiles';
import { ZtunnelDaemonSet } from './templates/daemonset';
import { ZtunnelNetworkPolicy } from './templates/networkpolicy';
import { ZtunnelRbac } from './templates/rbac';
import { ZtunnelResourceQuota } from './templates/resourcequota';
import { ZtunnelServiceAccount } from './templates/serviceaccount';
import { ZTUNNEL_CHECKS } from './templates/validate';
import { LABEL_HELPERS } from './templates/_labels';
import { NAME_HELPERS } from './templates/_names';
import { POD_HELPERS } from './templates/_pod';
import { VALUES_HELPERS } from './templates/_values';
import { ZTUNNEL_NOTES } from './templates/NOTES';

export const ztunnelChart: ChartDefinition = {
  name: 'ztunnel',
  description: 'Istio ztunnel: the ambient mode node proxy (a DaemonSet), which carries the mTLS traffic of ambient pods.',
  values: ztunnelValues,
  legacy: ZTUNNEL_LEGACY_KEYS,
  helpers: [...LABEL_HELPERS, ...NAME_HELPERS, ...VALUES_HELPERS, ...POD_HELPERS],
  files: profileFiles('ztunnel'),
  checks: ZTUNNEL_CHECKS,
  notes: ZTUNNEL_NOTES,
  images: ['ztunnel'],
  readme: `
The ambient data plane's node proxy: one \`ztunnel\` pod per Linux node, which the CNI node agent
(the \`cni\` chart with \`ambient.enabled\`) hands the network namespace of every ambient pod to,
and which gets those pods' certificates and configuration from istiod. It installs a DaemonSet
and its ServiceAccount; a ResourceQuota (\`resourceQuotas.enabled\`, on with \`platform=gke\`), a
NetworkPolicy (\`global.networkPolicy.enabled\`) and, on OpenShift, a ClusterRole and binding to
the \`privileged\` SecurityContextConstraints.

Install it after \`base\`, \`istiod\` and \`cni\` (both with \`profile=ambient\`), in a namespace
that admits privileged pods, and tell istiod where it runs (see Trust below):

\`\`\`
kubectl create namespace istio-ztunnel
kubectl label namespace istio-ztunnel pod-security.kubernetes.io/enforce=privileged
helm install istiod    ./charts/istiod  -n istio-system --set profile=ambient --set trustedZtunnelNamespace=istio-ztunnel
helm install istio-cni ./charts/cni     -n istio-cni    --set profile=ambient
helm install ztunnel   ./charts/ztunnel -n istio-ztunnel --set profile=ambient
kubectl label namespace <namespace> istio.io/dataplane-mode=ambient
\`\`\`

\`profile=ambient\` here selects the distroless image and sets ISTIO_META_ENABLE_HBONE; the chart
also renders without a profile, as upstream's ambient install runs it.

**Privileged.** ztunnel enters the pods' network namespaces: it runs as root with the NET_ADMIN,
NET_RAW and SYS_ADMIN capabilities (not as a privileged container), mounts the host directory
\`/var/run/ztunnel\` (the socket shared with istio-cni) and runs in the \`system-node-critical\`
priority class. Pod Security admits it only in a namespace labelled
\`pod-security.kubernetes.io/enforce: privileged\`; on GKE that namespace also needs the quota
(\`platform=gke\`), on OpenShift ztunnel runs in \`kube-system\` (\`platform=openshift\` sets
\`seLinuxOptions.type: spc_t\` and the RBAC above).

**Trust.** istiod signs certificates for other identities only for the ServiceAccount in its
\`CA_TRUSTED_NODE_ACCOUNTS\`, which the istiod chart sets to \`<istiod's namespace>/ztunnel\`. This
chart's ServiceAccount is \`ztunnel\` (or \`resourceName\`) in the release namespace: set the istiod
chart's \`trustedZtunnelNamespace\` (and \`trustedZtunnelName\`) to match, or install ztunnel in
istiod's namespace labelled privileged (\`platform=openshift\` sets \`kube-system\` for istiod).
With \`revision\`, ztunnel talks to \`istiod-<revision>\`; \`caAddress\` and \`xdsAddress\` override.

A values file written for upstream's ztunnel chart works unchanged. The one default that differs
is the image: \`${ISTIO_HUB}/ztunnel:${ISTIO_VERSION}\` (the release's), where upstream's chart says
\`registry.istio.io/testing/ztunnel:latest\` and relies on the release tooling to replace it.
Every key can also be set under \`global\` (\`--set global.hub=...\`), the top-level key winning.
`,
  build(chart) {
    new ZtunnelDaemonSet(chart);
    new ZtunnelServiceAccount(chart);
    new ZtunnelResourceQuota(chart);
    new ZtunnelRbac(chart);
    new ZtunnelNetworkPolicy(chart);
  },
};
