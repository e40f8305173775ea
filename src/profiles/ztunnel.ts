/**
 * What each profile and platform sets in the ztunnel chart, in its values model's shape.
 * Upstream's ztunnel chart takes from the shared profile files only what lands on its own
 * keys: the top-level ones and the `global.*` ones it lifts (ambient's global.variant). Demo's
 * small requests are upstream's `ztunnel.resources`, which istioctl lifts into this chart's
 * values and the chart alone never reads; here the chart applies them, as istioctl does.
 */
/** Values of a chart, as the chart's values model writes them. */
type Values = Record<string, unknown>;

const SMALL_REQUESTS = { requests: { cpu: '10m', memory: '40Mi' } };

export const ZTUNNEL_PROFILES: Readonly<Record<string, Values>> = {
  demo: { resources: SMALL_REQUESTS },
  // ztunnel speaks HBONE; the distroless image has no shell or package manager
  ambient: { variant: 'distroless', meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } } } },
  preview: { meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } } },
};

export const ZTUNNEL_PLATFORM_PROFILES: Readonly<Record<string, Values>> = {
  // GKE admits system-node-critical pods only in namespaces with a quota for them
  gke: { resourceQuotas: { enabled: true } },
  // writable sockets in host directories under SELinux
  openshift: { seLinuxOptions: { type: 'spc_t' } },
};

/** No compatibility version changes a ztunnel setting (their settings are istiod's and istio-cni's). */
export const ZTUNNEL_COMPATIBILITY_PROFILES: Readonly<Record<string, Values>> = {};
