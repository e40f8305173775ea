/** The `cni` chart: the Istio CNI node agent, which sets up pod traffic redirection from each node. */
import { ChartDefinition } from '../chart-definition';
import { profileFiles } from '../common/profiles';
import { CNI_LEGACY_KEYS, cniValues } from '../../values/cni';
import { CniClusterRole } from './templates/clusterrole';
import { CniClusterRoleBinding } from './templates/clusterrolebinding';
import { CniConfigMap } from './templates/configmap-cni';
import { CniDaemonSet } from './templates/daemonset';
import { CniNetworkAttachmentDefinition } from './templates/network-attachment-definition';
import { CniNetworkPolicy } from './templates/networkpolicy';
import { CniResourceQuota } from './templates/resourcequota';
import { CniServiceAccount } from './templates/serviceaccount';
import { CNI_CHECKS } from './templates/validate';
import { LABEL_HELPERS } from './templates/_labels';
import { POD_HELPERS } from './templates/_pod';
import { VALUES_HELPERS } from './templates/_values';
import { CNI_NOTES } from './templates/NOTES';

export const cniChart: ChartDefinition = {
  name: 'cni',
  description: 'The Istio CNI node agent: a DaemonSet that installs the istio-cni plugin on every node, so pods get their traffic redirection without istio-init, and that redirects ambient pods to ztunnel.',
  values: cniValues,
  legacy: CNI_LEGACY_KEYS,
  helpers: [...LABEL_HELPERS, ...VALUES_HELPERS, ...POD_HELPERS],
  files: profileFiles('cni'),
  checks: CNI_CHECKS,
  notes: CNI_NOTES,
  images: ['install-cni'],
  readme: `
Install it after \`base\`, in a namespace that admits privileged pods, when istiod runs with
\`pilot.cni.enabled=true\` (sidecars without the istio-init container) or with
\`profile=ambient\` (then the \`ztunnel\` chart follows). A namespace of its own keeps
istio-system \`restricted\` (istio-system works too, labelled privileged):

\`\`\`
kubectl create namespace istio-cni
kubectl label namespace istio-cni pod-security.kubernetes.io/enforce=privileged
helm install istio-cni ./charts/cni    -n istio-cni
helm install istiod    ./charts/istiod -n istio-system --set pilot.cni.enabled=true
\`\`\`

With istiod's node taint controller (\`pilot.taint.enabled\`) and the agent in a namespace of its
own, tell istiod where the agent runs: \`pilot.taint.namespace=istio-cni\`.

On GKE, pods of priority class \`system-node-critical\` are admitted outside kube-system only
under a ResourceQuota: \`platform=gke\` creates one (or install into kube-system).

With \`profile=ambient\`, give both charts the profile (\`--set profile=ambient\`, or
\`global.profile\`): here it turns on \`ambient.enabled\` and the distroless image.

What it installs: the DaemonSet \`istio-cni-node\` (one \`install-cni\` pod per node, priority
class \`system-node-critical\`, tolerating every taint), its ConfigMap \`istio-cni-config\`, the
ServiceAccount \`istio-cni\` and its ClusterRoles (pods, nodes and namespaces read; more for the
repair modes and ambient), and optionally a ResourceQuota (\`resourceQuotas.enabled\`, GKE), a
NetworkPolicy (\`global.networkPolicy.enabled\`) and a Multus NetworkAttachmentDefinition
(\`provider=multus\`, OpenShift). The names are fixed, as upstream's: one agent per cluster.

What its pods need of the node, and why the namespace must be labelled
\`pod-security.kubernetes.io/enforce: privileged\`:
- host paths: \`cniBinDir\` (the plugin binary is copied there) and \`cniConfDir\` (the plugin is
  added to the CNI configuration), \`/var/run/istio-cni\` (the plugin's socket), \`cniNetnsDir\`,
  and with repair or ambient the host's \`/proc\` (read-only) and \`/var/run/ztunnel\`;
- root, with all capabilities dropped but NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_ADMIN and
  DAC_OVERRIDE (the container itself is not privileged), and AppArmor unconfined;
- with \`ambient.shareHostNetworkNamespace\`, the host network.

Like upstream's chart it sets no seccomp profile by default: \`seccompProfile: {type:
RuntimeDefault}\` adds one. \`platform=openshift\` sets the Multus paths, unchained mode and SELinux
type \`spc_t\`, and grants the privileged SecurityContextConstraints.

A values file written for upstream's istio-cni chart works unchanged, keys under \`cni:\` included
(they win over the top-level ones, as there).
`,
  build(chart) {
    new CniClusterRole(chart);
    new CniClusterRoleBinding(chart);
    new CniConfigMap(chart);
    new CniDaemonSet(chart);
    new CniNetworkAttachmentDefinition(chart);
    new CniNetworkPolicy(chart);
    new CniResourceQuota(chart);
    new CniServiceAccount(chart);
  },
};
