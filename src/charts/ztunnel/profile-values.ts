/**
 * What each installation profile and platform changes in the ztunnel chart, in our model's
 * shape, and the files/profile-*.yaml overlays written from it. Upstream's ztunnel chart reads
 * from its shared profile files only what lands on its own keys: the top-level keys and the
 * lifted `global.*` ones (ambient's global.variant), so these are exactly those, plus demo's
 * small requests, which upstream keeps under `ztunnel.resources` for istioctl and its chart
 * never reads (as the gateway chart applies demo's gateway settings).
 *
 * Kept beside the chart until src/profiles/index.ts carries them as `values.ztunnel`, as it
 * does for istiod (src/profiles/istiod.ts); the cni chart does the same.
 */
import { COMPATIBILITY_LIST, ChartOverlays, PLATFORM_LIST, PROFILE_LIST, Values } from '../../profiles';

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

/** The overlays in the shape src/profiles gives them for the other charts. */
export function ztunnelOverlays(): ChartOverlays {
  const pick = <T extends { name: string }>(list: readonly T[], values: Readonly<Record<string, Values>>): Array<[T, Values]> =>
    list.flatMap((x): Array<[T, Values]> => (values[x.name] ? [[x, values[x.name]]] : []));
  return {
    profiles: pick(PROFILE_LIST, ZTUNNEL_PROFILES),
    platforms: pick(PLATFORM_LIST, ZTUNNEL_PLATFORM_PROFILES),
    compatibilityVersions: pick(COMPATIBILITY_LIST, ZTUNNEL_COMPATIBILITY_PROFILES),
  };
}
