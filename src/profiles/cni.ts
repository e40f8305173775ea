/**
 * What each profile, platform and compatibility version sets in the cni chart, as its values
 * model writes them: top-level keys (upstream's profile files put some under `cni:`, which its
 * chart lifts to the top level).
 */
/** Values of a chart, as the chart's values model writes them. */
type Values = Record<string, unknown>;

const SMALL_REQUESTS = { requests: { cpu: '10m', memory: '40Mi' } };
/** Before 1.29 the agent left the rules of existing ambient pods as they were at start. */
const NO_IPTABLES_RECONCILE = { ambient: { reconcileIptablesOnStartup: false } };

export const CNI_PROFILES: Readonly<Record<string, Values>> = {
  demo: { resources: SMALL_REQUESTS },
  // ambient's images are distroless, the agent's included
  ambient: { ambient: { enabled: true }, global: { variant: 'distroless' } },
};

export const CNI_COMPATIBILITY_PROFILES: Readonly<Record<string, Values>> = {
  // upstream's 1.25 file also moves ztunnel into the host network namespace; its top-level
  // `ambient` key is this chart's ambient section, so the agent follows
  '1.25': { ambient: { ...NO_IPTABLES_RECONCILE.ambient, shareHostNetworkNamespace: true } },
  '1.26': NO_IPTABLES_RECONCILE,
  '1.27': NO_IPTABLES_RECONCILE,
  '1.28': NO_IPTABLES_RECONCILE,
};

export const CNI_PLATFORM_PROFILES: Readonly<Record<string, Values>> = {
  // an empty cniBinDir lets the DaemonSet tell GKE by its Kubernetes version
  gke: { cniBinDir: '', resourceQuotas: { enabled: true } },
  k3d: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/bin' },
  k3s: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/var/lib/rancher/k3s/data/cni' },
  microk8s: { cniConfDir: '/var/snap/microk8s/current/args/cni-network', cniBinDir: '/var/snap/microk8s/current/opt/cni/bin' },
  minikube: { cniNetnsDir: '/var/run/docker/netns' },
  // Multus reads standalone files of its own directory; SELinux confines the agent unless spc_t
  openshift: {
    cniBinDir: '/var/lib/cni/bin',
    cniConfDir: '/etc/cni/multus/net.d',
    chained: false,
    cniConfFileName: 'istio-cni.conf',
    provider: 'multus',
    seLinuxOptions: { type: 'spc_t' },
  },
};
