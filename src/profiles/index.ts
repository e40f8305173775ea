/**
 * The installation profiles as typed data: what each installs (its components) and what it
 * changes in each chart. The charts apply the per-chart values themselves under
 * `--set profile=<name>` (files/profile-*.yaml); `values/<profile>/<chart>.yaml` carries the
 * same values for `helm install -f`; the CLI reads the components to decide which releases
 * to install. Precedence everywhere: chart defaults < profile < compatibility version <
 * platform < user values.
 */
import { CNI_COMPATIBILITY_PROFILES, CNI_PLATFORM_PROFILES, CNI_PROFILES } from './cni';
import { ISTIOD_COMPATIBILITY_PROFILES, ISTIOD_PLATFORM_PROFILES, ISTIOD_PROFILES } from './istiod';
import { ZTUNNEL_COMPATIBILITY_PROFILES, ZTUNNEL_PLATFORM_PROFILES, ZTUNNEL_PROFILES } from './ztunnel';

/** The charts a profile can put values into. */
export type ChartName = 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel';
/** The installable components, named as IstioOperator's `spec.components` keys. */
export type Component = 'base' | 'pilot' | 'ingressGateways' | 'egressGateways' | 'cni' | 'ztunnel';
export const COMPONENTS: readonly Component[] = ['base', 'pilot', 'ingressGateways', 'egressGateways', 'cni', 'ztunnel'];
/** Which chart installs a component. */
export const COMPONENT_CHART: Record<Component, ChartName> = {
  base: 'base', pilot: 'istiod', ingressGateways: 'gateway', egressGateways: 'gateway', cni: 'cni', ztunnel: 'ztunnel',
};

export type Values = Record<string, unknown>;

export interface Profile {
  readonly name: string;
  /** One line for `istio-charts profile list`. */
  readonly description: string;
  /** The components it installs. */
  readonly components: readonly Component[];
  /** Its values per chart; a chart it leaves alone is absent. */
  readonly values: Partial<Record<ChartName, Values>>;
}

/** Overlays that are not profiles: applied on top of any profile. */
export interface Overlay {
  readonly name: string;
  readonly description: string;
  readonly values: Partial<Record<ChartName, Values>>;
  /** Components the overlay adds to the profile's (OpenShift needs the CNI agent). */
  readonly addsComponents?: readonly Component[];
}

const SMALL_REQUESTS = { requests: { cpu: '10m', memory: '40Mi' } };

/** The demo ingress gateway's extra ports, used by istio.io's TCP and TLS tasks. */
const DEMO_GATEWAY_PORTS = [
  { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
  { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
  { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
  { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
  { name: 'tls', port: 15443, protocol: 'TCP', targetPort: 15443 },
];

const GATEWAYS: readonly Component[] = ['base', 'pilot', 'ingressGateways'];

export const PROFILE_LIST: readonly Profile[] = [
  {
    name: 'default',
    description: 'Production defaults: istiod and an autoscaled ingress gateway.',
    components: GATEWAYS,
    values: { istiod: ISTIOD_PROFILES.default },
  },
  {
    name: 'demo',
    description: 'For trying Istio out: ingress and egress gateways, access logs, full trace sampling, small requests, no autoscaling.',
    components: ['base', 'pilot', 'ingressGateways', 'egressGateways'],
    values: {
      istiod: ISTIOD_PROFILES.demo,
      cni: CNI_PROFILES.demo,
      ztunnel: ZTUNNEL_PROFILES.demo,
      gateway: { autoscaling: { enabled: false }, resources: SMALL_REQUESTS, service: { ports: DEMO_GATEWAY_PORTS } },
    },
  },
  {
    name: 'minimal',
    description: 'The control plane only: the CRDs and istiod, no gateways.',
    components: ['base', 'pilot'],
    values: { istiod: ISTIOD_PROFILES.minimal },
  },
  {
    name: 'remote',
    description: 'A cluster served by an istiod running elsewhere: CRDs, reader account and injector webhook, no istiod Deployment.',
    components: ['base', 'pilot'],
    values: { istiod: ISTIOD_PROFILES.remote },
  },
  {
    name: 'empty',
    description: 'Nothing at all: a starting point that enables components one by one.',
    components: [],
    values: {},
  },
  {
    name: 'preview',
    description: 'The default profile plus features on their way to becoming defaults (DNS capture in the proxies).',
    components: GATEWAYS,
    values: { istiod: ISTIOD_PROFILES.preview, ztunnel: ZTUNNEL_PROFILES.preview },
  },
  {
    name: 'ambient',
    description: 'Ambient mode: istiod, the CNI node agent and ztunnel; no sidecars, no gateways.',
    components: ['base', 'pilot', 'cni', 'ztunnel'],
    values: { istiod: ISTIOD_PROFILES.ambient, cni: CNI_PROFILES.ambient, ztunnel: ZTUNNEL_PROFILES.ambient },
  },
  {
    name: 'stable',
    description: 'The default profile, with a policy that rejects Istio configuration using non-stable fields.',
    components: GATEWAYS,
    values: { base: { experimental: { stableValidationPolicy: true } }, istiod: ISTIOD_PROFILES.stable },
  },
];

/** Other names a profile answers to (istioctl's `external` is the remote profile). */
export const PROFILE_ALIASES: Readonly<Record<string, string>> = { external: 'remote' };

export const PLATFORM_LIST: readonly Overlay[] = [
  { name: 'gke', description: 'Google Kubernetes Engine: CNI binaries found automatically, CNI resource quotas on.', values: { istiod: ISTIOD_PLATFORM_PROFILES.gke, cni: CNI_PLATFORM_PROFILES.gke, ztunnel: ZTUNNEL_PLATFORM_PROFILES.gke } },
  { name: 'k3d', description: 'k3d: k3s paths of the CNI configuration and binaries.', values: { istiod: ISTIOD_PLATFORM_PROFILES.k3d, cni: CNI_PLATFORM_PROFILES.k3d } },
  { name: 'k3s', description: 'k3s: its CNI configuration and binary directories.', values: { istiod: ISTIOD_PLATFORM_PROFILES.k3s, cni: CNI_PLATFORM_PROFILES.k3s } },
  { name: 'microk8s', description: 'MicroK8s: the snap\'s CNI directories.', values: { istiod: ISTIOD_PLATFORM_PROFILES.microk8s, cni: CNI_PLATFORM_PROFILES.microk8s } },
  { name: 'minikube', description: 'minikube: Docker\'s network namespace directory.', values: { istiod: ISTIOD_PLATFORM_PROFILES.minikube, cni: CNI_PLATFORM_PROFILES.minikube } },
  {
    name: 'openshift',
    description: 'OpenShift: the CNI plugin through Multus (no privileged istio-init), its CNI paths, ztunnel in kube-system.',
    values: { istiod: ISTIOD_PLATFORM_PROFILES.openshift, cni: CNI_PLATFORM_PROFILES.openshift, ztunnel: ZTUNNEL_PLATFORM_PROFILES.openshift },
    addsComponents: ['cni'],
  },
];

export const COMPATIBILITY_LIST: readonly Overlay[] = Object.entries(ISTIOD_COMPATIBILITY_PROFILES).map(([version, values]) => ({
  name: version,
  description: `Keep the behaviour defaults of Istio ${version} that later releases changed.`,
  values: { istiod: values, ...(CNI_COMPATIBILITY_PROFILES[version] ? { cni: CNI_COMPATIBILITY_PROFILES[version] } : {}), ...(ZTUNNEL_COMPATIBILITY_PROFILES[version] ? { ztunnel: ZTUNNEL_COMPATIBILITY_PROFILES[version] } : {}) },
}));

/**
 * istioctl's profile names that are a profile plus a platform (its manifests/profiles has
 * openshift.yaml and openshift-ambient.yaml); the CLI accepts them, the charts take
 * `profile` and `platform` separately.
 */
export const COMBINED_PROFILES: Readonly<Record<string, { profile: string; platform: string }>> = {
  openshift: { profile: 'default', platform: 'openshift' },
  'openshift-ambient': { profile: 'ambient', platform: 'openshift' },
};

function byName<T extends { name: string }>(list: readonly T[]): Record<string, T> {
  return Object.fromEntries(list.map((p) => [p.name, p]));
}
export const PROFILES = byName(PROFILE_LIST);
export const PLATFORMS = byName(PLATFORM_LIST);
export const COMPATIBILITY_VERSIONS = byName(COMPATIBILITY_LIST);

/** An unknown name, reported with the valid ones. */
export class UnknownNameError extends Error {
  constructor(readonly kind: string, readonly value: string, readonly valid: readonly string[]) {
    super(`unknown ${kind} "${value}"; valid ${kind}s: ${valid.join(', ')}`);
  }
}

/** The profile a name means, aliases and istioctl's combined names included. */
export function resolveProfile(name: string): { profile: Profile; platform?: Overlay } {
  const combined = COMBINED_PROFILES[name];
  if (combined) return { profile: PROFILES[combined.profile], platform: PLATFORMS[combined.platform] };
  const profile = PROFILES[PROFILE_ALIASES[name] ?? name];
  if (!profile) throw new UnknownNameError('profile', name, profileNames());
  return { profile };
}

/** Every name `profile=` accepts in the CLI, in listing order. */
export function profileNames(): string[] {
  return [...PROFILE_LIST.map((p) => p.name), ...Object.keys(PROFILE_ALIASES), ...Object.keys(COMBINED_PROFILES)];
}

export function resolvePlatform(name: string): Overlay {
  const p = PLATFORMS[name];
  if (!p) throw new UnknownNameError('platform', name, PLATFORM_LIST.map((x) => x.name));
  return p;
}

export function resolveCompatibilityVersion(version: string): Overlay {
  const c = COMPATIBILITY_VERSIONS[version];
  if (!c) throw new UnknownNameError('compatibility version', version, COMPATIBILITY_LIST.map((x) => x.name));
  return c;
}

/** The components a profile installs once a platform overlay is applied. */
export function profileComponents(profile: Profile, platform?: Overlay): Component[] {
  const on = new Set([...profile.components, ...(platform?.addsComponents ?? [])]);
  // a platform adds to what the profile already installs; it does not turn an empty profile on
  if (profile.components.length === 0) return [];
  return COMPONENTS.filter((c) => on.has(c));
}

/** Whether a profile installs anything from a chart. */
export function profileInstallsChart(profile: Profile, chart: ChartName): boolean {
  return profile.components.some((c) => COMPONENT_CHART[c] === chart);
}

/** Every name the charts' `profile` (and `global.profile`) accepts: the profiles, then their aliases. */
export function chartProfileNames(): string[] {
  return [...PROFILE_LIST.map((p) => p.name), ...Object.keys(PROFILE_ALIASES)];
}

/** The values of one chart under each profile, platform and compatibility version that has some. */
export interface ChartOverlays {
  readonly profiles: ReadonlyArray<[Profile, Values]>;
  readonly platforms: ReadonlyArray<[Overlay, Values]>;
  readonly compatibilityVersions: ReadonlyArray<[Overlay, Values]>;
}

export function chartOverlays(chart: ChartName): ChartOverlays {
  const withValues = <T extends { values: Partial<Record<ChartName, Values>> }>(list: readonly T[]): Array<[T, Values]> =>
    list.flatMap((x): Array<[T, Values]> => {
      const v = x.values[chart];
      return v && Object.keys(v).length ? [[x, v]] : [];
    });
  return { profiles: withValues(PROFILE_LIST), platforms: withValues(PLATFORM_LIST), compatibilityVersions: withValues(COMPATIBILITY_LIST) };
}
