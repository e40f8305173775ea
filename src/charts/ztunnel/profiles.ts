/**
 * What each installation profile and platform changes in the ztunnel chart, in our model's
 * shape, and the files/profile-*.yaml overlays written from it. Upstream's ztunnel chart reads
 * from its shared profile files only what lands on its own keys: the top-level keys and the
 * lifted `global.*` ones (ambient's global.variant), so these are exactly those, plus demo's
 * small requests, which upstream keeps under `ztunnel.resources` for istioctl and its chart
 * never reads (as the gateway chart applies demo's gateway settings).
 *
 * The data belongs in src/profiles/ beside ISTIOD_PROFILES (a `ztunnel` entry of each
 * profile's and platform's `values`); until it is moved there, this module writes the chart's
 * overlay files itself, in the same format as profileFiles().
 */
import * as YAML from 'yaml';
import { COMPATIBILITY_LIST, PLATFORMS, PROFILES, Values } from '../../profiles';
import { compatibilityFile, platformFile, profileFile } from '../common/profiles';

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

const GENERATED = '# Generated from src/charts/ztunnel/profiles.ts by npm run synth; do not edit.';
const yaml11 = (v: unknown) => YAML.stringify(v, { version: '1.1', lineWidth: 0 });
const overlay = (what: string, description: string, values: Values) => `${GENERATED}\n# ${what}: ${description}\n${yaml11(values)}`;

/** The chart's files/profile-*.yaml: one per profile, compatibility version and platform that sets something here. */
export function ztunnelProfileFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, values] of Object.entries(ZTUNNEL_PROFILES)) files.set(profileFile(name), overlay(`Profile ${name}`, PROFILES[name].description, values));
  for (const c of COMPATIBILITY_LIST.filter((x) => x.name in ZTUNNEL_COMPATIBILITY_PROFILES)) {
    files.set(compatibilityFile(c.name), overlay(`Compatibility version ${c.name}`, c.description, ZTUNNEL_COMPATIBILITY_PROFILES[c.name]));
  }
  for (const [name, values] of Object.entries(ZTUNNEL_PLATFORM_PROFILES)) files.set(platformFile(name), overlay(`Platform ${name}`, PLATFORMS[name].description, values));
  return files;
}
