/**
 * IstioOperator files and `--set` flags to an install plan: one release per chart and gateway,
 * with our charts' values and the post-render patches for what no value expresses.
 *
 * Precedence, as istioctl's: the default profile < the selected profile < `-f` files left to
 * right < `--set` flags in order (files and flags make the user's tree first, which is then laid
 * over the profile: maps merge, lists are replaced whole). `spec.values` goes to the charts
 * (values.ts); `spec.hub/tag/revision/meshConfig/compatibilityVersion` and the components'
 * `k8s` fields become chart values wherever our charts have one, post-render patches otherwise.
 */
import { readFileSync } from 'fs';
import * as YAML from 'yaml';
import { Component, Overlay as ProfileOverlay, Profile, UnknownNameError, profileComponents, resolveProfile } from '../profiles';
import { InputError, clone, deepMerge, isObject } from './errors';
import { GatewayKind, gatewayRelease, omit, userOverlay } from './gateways';
import { check, iopSchema, specSchema } from './iop-schema';
import { Overlay } from './overlays';
import { applySetFlag, parseSetFlag } from './set-flags';
import { NodeAgentRelease, nodeAgentRelease } from './node-agents';
import { RoutedValues, routeValues, valuesSchema } from './values';

type Values = Record<string, unknown>;

export interface InstallInputs {
  /** `-f`: IstioOperator files (kind IstioOperator) or chart values files (anything else, read as spec.values). */
  readonly files: readonly string[];
  /** `--set path=value`, istioctl syntax, relative to spec. */
  readonly sets: readonly string[];
  /** `-r`: the revision (`default` means none). */
  readonly revision?: string;
}

export interface Release {
  readonly component: Component;
  readonly chart: 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel';
  /** Helm release name: istio-base, istiod[-<rev>], or the gateway's name. */
  readonly release: string;
  readonly namespace: string;
  /** Values for our chart. */
  readonly values: Values;
  /** Post-render patches, in order; empty when none. */
  readonly overlays: Overlay[];
}

export interface InstallPlan {
  readonly profile: string;
  /** The revision, '' for none (the default revision). */
  readonly revision: string;
  /** The istio namespace (istiod's, unless components.pilot.namespace moves it). */
  readonly namespace: string;
  /** In install order: base, istiod, cni, ztunnel, gateways. */
  readonly releases: Release[];
  readonly warnings: string[];
  /** What the user gave, input by input (files, then flags), to name a bad value the way it was typed (validate.ts). */
  readonly inputs: readonly PlanInput[];
}

/** One input as a tree under `spec`, and where it came from: a file name, or `--set path=value`. */
export interface PlanInput {
  readonly source: string;
  readonly spec: Values;
}

/** A document given as text, named by where it came from. */
export interface InputDocument {
  readonly source: string;
  readonly text: string;
}

const SPEC_SCHEMA = specSchema(valuesSchema);
const IOP_SCHEMA = iopSchema(SPEC_SCHEMA);

/** Read the files and plan; throws InputError and has no side effect. */
export function planInstall(inputs: InstallInputs): InstallPlan {
  const docs = inputs.files.map((f) => {
    try {
      return { source: f, text: f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8') };
    } catch (e) {
      throw new InputError(f, `cannot read: ${(e as Error).message}`);
    }
  });
  return planDocuments(docs, inputs.sets, inputs.revision);
}

/** One input document: an IstioOperator, or a values file taken as its spec.values. */
function parseDocument(doc: InputDocument): Values {
  const parsed = YAML.parseAllDocuments(doc.text, { version: '1.1' });
  const docs = (Array.isArray(parsed) ? parsed : [parsed]).filter((d) => d.contents !== null);
  for (const d of docs) {
    if (d.errors.length) throw new InputError(doc.source, `malformed YAML: ${d.errors[0].message.split('\n')[0]}`);
  }
  if (docs.length > 1) throw new InputError(doc.source, 'contains multiple IstioOperator CRs, only one per file is supported');
  const value = docs.length ? docs[0].toJS() : {};
  if (!isObject(value)) throw new InputError(doc.source, `expected a map at the top, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  if (value.kind === 'IstioOperator') {
    if (value.apiVersion !== undefined && value.apiVersion !== 'install.istio.io/v1alpha1') {
      throw new InputError('apiVersion', `expected install.istio.io/v1alpha1, got ${JSON.stringify(value.apiVersion)} (in ${doc.source})`);
    }
    return value;
  }
  if (value.kind !== undefined || value.apiVersion !== undefined) {
    throw new InputError('kind', `expected IstioOperator (or a values file without kind), got ${JSON.stringify(value.kind)} (in ${doc.source})`);
  }
  return { kind: 'IstioOperator', spec: { values: value } };
}

/** Re-throw an InputError with where it came from, on the same line. */
function from<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.path, `${e.message.slice(e.path.length + 2)} (in ${source})`);
    throw e;
  }
}

/** The profile's components as istioctl's profile files state them (each with an explicit enabled). */
function profileTree(profile: Profile, platform: ProfileOverlay | undefined): Values {
  const on = new Set(profileComponents(profile, platform));
  const components: Values = {
    base: { enabled: on.has('base') },
    pilot: { enabled: on.has('pilot') },
    ingressGateways: [{ name: 'istio-ingressgateway', enabled: on.has('ingressGateways') }],
    egressGateways: [{ name: 'istio-egressgateway', enabled: on.has('egressGateways') }],
  };
  const namespace = platform ? PLATFORM_AGENT_NAMESPACE[platform.name] : undefined;
  for (const c of ['cni', 'ztunnel'] as const) if (on.has(c)) components[c] = { enabled: true, ...(namespace ? { namespace } : {}) };
  return { components };
}

/** Where istioctl's platform profiles put the node agents (openshift.yaml, openshift-ambient.yaml). */
const PLATFORM_AGENT_NAMESPACE: Readonly<Record<string, string>> = { openshift: 'kube-system' };

/** Plan from documents already read (planInstall, convertOperator). */
export function planDocuments(docs: readonly InputDocument[], sets: readonly string[], revisionFlag?: string): InstallPlan {
  const warnings: string[] = [];
  const inputs: PlanInput[] = [];
  let user: Values = { spec: {} };
  for (const doc of docs) {
    const iop = parseDocument(doc);
    from(doc.source, () => check(iop, IOP_SCHEMA, []));
    user = deepMerge(user, iop) as Values;
    inputs.push({ source: doc.source, spec: isObject(iop.spec) ? iop.spec : {} });
  }
  const flags = sets.map((raw) => ({ raw, source: `--set ${raw}` }));
  if (revisionFlag && revisionFlag !== 'default') flags.push({ raw: `revision=${revisionFlag}`, source: `--revision ${revisionFlag}` });
  const spec = (user.spec ?? {}) as Values;
  for (const { raw, source } of flags) {
    from(source, () => {
      const flag = parseSetFlag(raw);
      applySetFlag(spec, flag);
      check(spec, SPEC_SCHEMA, ['spec']);
      // the flag's own tree; a list selector stays a key (`[0]`, `[name:x]`), printed as typed
      inputs.push({ source, spec: flag.path.reduceRight<unknown>((v, k) => ({ [k]: v }), flag.value) as Values });
    });
  }

  // the profile, laid under the user's tree
  const profileName = (spec.profile as string | undefined) || 'default';
  let resolved: ReturnType<typeof resolveProfile>;
  try {
    resolved = resolveProfile(profileName);
  } catch (e) {
    if (e instanceof UnknownNameError) throw new InputError('spec.profile', e.message);
    throw e;
  }
  const profile = resolved.profile;
  const merged = deepMerge(profileTree(profile, resolved.platform), spec) as Values;
  const components = (merged.components ?? {}) as Values;
  let values = clone((merged.values ?? {}) as Values);
  if (resolved.platform) values = deepMerge({ global: { platform: resolved.platform.name } }, values) as Values;
  let routed = routeValues(values);
  // merged after validation, as istioctl does (we still route it, so it is checked like values)
  if (merged.unvalidatedValues) routed = mergeRouted(routed, routeValues(merged.unvalidatedValues, ['spec', 'unvalidatedValues']));

  const on = (c: Values | undefined) => c !== undefined && c !== null && c.enabled !== false;
  // beyond istioctl, which then leaves every injected pod waiting for a plugin nobody installs:
  // values.pilot.cni.enabled=true with no word on components.cni installs the CNI agent
  const userPilot = isObject(values.pilot) ? values.pilot : {};
  if (isObject(userPilot.cni) && userPilot.cni.enabled === true && components.cni === undefined) components.cni = { enabled: true };
  const agentsOn = (['cni', 'ztunnel'] as const).filter((c) => on(components[c] as Values | undefined));
  if (!agentsOn.includes('ztunnel') && Object.keys(routed.ztunnel).length) warnings.push('spec.values.ztunnel: ignored, as components.ztunnel is off');
  if (!agentsOn.includes('cni') && Object.keys(routed.cni).length) warnings.push('spec.values.cni: components.cni is off, so no CNI agent is installed (only istiod\'s injector sees these values)');
  for (const key of routed.unread) warnings.push(`spec.values.${key}: ignored, as no chart reads it (components.cni and values.cni configure the CNI agent)`);

  const istioNamespace = ((routed.global.istioNamespace as string | undefined) || 'istio-system');
  const metaNs = (merged.metadata as Values | undefined)?.namespace ?? (user.metadata as Values | undefined)?.namespace;
  if (metaNs && metaNs !== istioNamespace) warnings.push(`metadata.namespace ${metaNs} is ignored, as by istioctl (its default profile sets values.global.istioNamespace); set values.global.istioNamespace`);
  if (spec.namespace) warnings.push('spec.namespace is ignored, as by istioctl; set values.global.istioNamespace');

  const revision = revisionOf(spec, routed);
  const releases: Release[] = [];

  if (on(components.base as Values)) releases.push(baseRelease(components.base as Values, routed, profile, istioNamespace));
  const agents = agentsOn.map((agent) =>
    nodeAgentRelease({ agent, component: components[agent] as Values, own: routed[agent], global: routed.global, spec, profile, revision, namespace: istioNamespace }),
  );
  if (on(components.pilot as Values)) {
    const r = istiodRelease(components.pilot as Values, spec, routed, profile, revision, istioNamespace, warnings);
    wireIstiodToAgents(r, agents, routed.cni, warnings);
    releases.push(r);
  }
  for (const a of agents) releases.push({ component: a.chart, ...a });
  const forced = (kind: GatewayKind) => (kind === 'ingress' ? routed.ingress : routed.egress).enabled === true;
  for (const kind of ['ingress', 'egress'] as const) {
    const key = `${kind}Gateways` as const;
    const entries = (components[key] ?? []) as Values[];
    entries.forEach((entry, i) => {
      if (entry.enabled === false && !forced(kind)) return;
      const g = gatewayRelease({
        kind,
        entry,
        path: `spec.components.${key}[${i}]`,
        legacy: omit(kind === 'ingress' ? routed.ingress : routed.egress, ['enabled']),
        global: routed.global,
        profile: profile.name,
        revision,
        namespace: istioNamespace,
      });
      warnings.push(...g.warnings);
      const values = { ...g.values, ...(Object.keys(routed.global).length ? { global: clone(routed.global) } : {}) };
      releases.push({ component: key, chart: 'gateway', release: g.name, namespace: g.namespace, values, overlays: g.overlays });
    });
  }
  warnings.push(...sharedSelectors(releases));
  const seen = new Set<string>();
  for (const r of releases) {
    const id = `${r.namespace}/${r.release}`;
    if (seen.has(id)) throw new InputError('spec.components', `two releases named ${r.release} in namespace ${r.namespace}`);
    seen.add(id);
  }
  releases.sort((a, b) => INSTALL_ORDER[a.component] - INSTALL_ORDER[b.component]);
  return { profile: profile.name, revision, namespace: istioNamespace, releases, warnings, inputs };
}

/** Gateways of one namespace whose labels are the same select each other's pods (the legacy charts' labels are fixed per kind). */
function sharedSelectors(releases: readonly Release[]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const r of releases.filter((x) => x.chart === 'gateway')) {
    const labels = r.values.labels as Values;
    const key = `${r.namespace} ${JSON.stringify(Object.entries(labels).sort())}`;
    const other = seen.get(key);
    if (other) out.push(`gateways ${other} and ${r.release} in namespace ${r.namespace} have the same labels (${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}), so each one's Service also selects the other's pods; give one its own label.istio`);
    else seen.set(key, r.release);
  }
  return out;
}

function mergeRouted(a: RoutedValues, b: RoutedValues): RoutedValues {
  return {
    base: deepMerge(a.base, b.base) as Values,
    istiod: deepMerge(a.istiod, b.istiod) as Values,
    global: deepMerge(a.global, b.global) as Values,
    ingress: deepMerge(a.ingress, b.ingress) as Values,
    egress: deepMerge(a.egress, b.egress) as Values,
    cni: deepMerge(a.cni, b.cni) as Values,
    ztunnel: deepMerge(a.ztunnel, b.ztunnel) as Values,
    unread: [...a.unread, ...b.unread],
  };
}

/**
 * What istiod must know of the node agents, as istioctl derives it: `pilot.cni` is values.cni
 * under the user's pilot.cni, and its `enabled` follows components.cni (the injector then adds
 * istio-validation instead of istio-init) unless the user set it. Beyond istioctl: a ztunnel
 * installed in another namespace than istiod's is the one istiod trusts to request
 * certificates for the pods of its node (CA_TRUSTED_NODE_ACCOUNTS), where istioctl leaves
 * istiod trusting a ztunnel in its own namespace that does not exist.
 */
function wireIstiodToAgents(istiod: Release, agents: readonly NodeAgentRelease[], cniValues: Values, warnings: string[]): void {
  const values = istiod.values;
  const pilot = (isObject(values.pilot) ? values.pilot : {}) as Values;
  // upstream's istiod reads values.cni under values.pilot.cni (its pilot keys are lifted to the top)
  const cni = deepMerge(cniValues, isObject(pilot.cni) ? pilot.cni : {}) as Values;
  const cniOn = agents.some((a) => a.chart === 'cni');
  if (cni.enabled === undefined && cniOn) cni.enabled = true;
  if (Object.keys(cni).length) values.pilot = { ...pilot, cni };
  if (cni.enabled === true && !cniOn) {
    warnings.push('spec.values.pilot.cni.enabled is true but components.cni.enabled is false: injected pods will wait for a CNI plugin this install does not provide');
  }
  const ztunnel = agents.find((a) => a.chart === 'ztunnel');
  if (ztunnel && ztunnel.namespace !== istiod.namespace && values.trustedZtunnelNamespace === undefined) values.trustedZtunnelNamespace = ztunnel.namespace;
  if (ztunnel && values.trustedZtunnelName === undefined) {
    const name = (ztunnel.values.resourceName as string | undefined) || 'ztunnel';
    if (name !== 'ztunnel') values.trustedZtunnelName = name;
  }
}

/** base first (CRDs), then istiod, the node agents, and the gateways istiod injects (a stable sort keeps their order). */
const INSTALL_ORDER: Record<Component, number> = { base: 0, pilot: 1, cni: 2, ztunnel: 3, ingressGateways: 4, egressGateways: 4 };

const REVISION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function revisionOf(spec: Values, routed: RoutedValues): string {
  let rev = (spec.revision as string | undefined) ?? (routed.istiod.revision as string | undefined) ?? '';
  if (rev === 'default') rev = '';
  if (rev && (!REVISION.test(rev) || rev.length > 63)) throw new InputError('spec.revision', `invalid revision "${rev}": a DNS-1123 label (lower-case letters, digits and '-')`);
  return rev;
}

/**
 * The profile's values for a chart, laid under the user's here rather than selected with
 * `profile=` in the chart: the chart can only apply a profile where a value still equals its
 * default, so a user value that happens to equal the default (demo +
 * values.pilot.autoscaleEnabled=true) would lose to the profile. Here it always wins.
 */
function chartProfile(profile: Profile, chart: 'base' | 'istiod'): Values {
  return clone((profile.values[chart] ?? {}) as Values);
}

function baseRelease(c: Values, routed: RoutedValues, profile: Profile, namespace: string): Release {
  const k8s = (c.k8s ?? {}) as Values;
  for (const k of Object.keys(k8s)) {
    if (k !== 'overlays') throw new InputError(`spec.components.base.k8s.${k}`, 'unsupported: the base chart has no workload to apply it to (istioctl ignores it); only overlays apply to base');
  }
  const values = deepMerge(chartProfile(profile, 'base'), routed.base) as Values;
  if (Object.keys(routed.global).length) values.global = deepMerge(values.global ?? {}, routed.global);
  const overlays = ((k8s.overlays ?? []) as Values[]).map((o, i) => userOverlay(o, `spec.components.base.k8s.overlays[${i}]`));
  return { component: 'base', chart: 'base', release: 'istio-base', namespace, values, overlays };
}

/** Env names the istiod container always sets: a k8s.env entry with one of them replaces it in place. */
const ISTIOD_ENV = new Set([
  'REVISION', 'PILOT_CERT_PROVIDER', 'POD_NAME', 'POD_NAMESPACE', 'SERVICE_ACCOUNT', 'KUBECONFIG', 'CA_TRUSTED_NODE_ACCOUNTS',
  'PILOT_TRACE_SAMPLING', 'PILOT_ENABLE_ANALYSIS', 'CLUSTER_ID', 'GOMAXPROCS', 'PLATFORM', 'EXTERNAL_ISTIOD', 'GODEBUG',
  'PILOT_CA_CERT_CONFIGMAP', 'PILOT_CRL_CONFIGMAP', 'PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS', 'PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME',
]);

function istiodRelease(c: Values, spec: Values, routed: RoutedValues, profile: Profile, revision: string, istioNamespace: string, warnings: string[]): Release {
  const path = 'spec.components.pilot';
  const name = revision ? `istiod-${revision}` : 'istiod';
  const container = 'discovery';
  const values = deepMerge(chartProfile(profile, 'istiod'), routed.istiod) as Values;
  const global: Values = {};
  if (spec.hub !== undefined) global.hub = spec.hub;
  if (spec.tag !== undefined) global.tag = String(spec.tag);
  values.global = deepMerge(deepMerge(values.global ?? {}, global), routed.global);
  if (!Object.keys(values.global as Values).length) delete values.global;
  if (revision) values.revision = revision;
  if (spec.compatibilityVersion !== undefined && values.compatibilityVersion === undefined) values.compatibilityVersion = spec.compatibilityVersion;
  if (spec.meshConfig !== undefined) values.meshConfig = deepMerge(spec.meshConfig, values.meshConfig ?? {});
  const pilot = (isObject(values.pilot) ? values.pilot : {}) as Values;
  if (c.hub !== undefined) pilot.hub = c.hub;
  if (c.tag !== undefined) pilot.tag = String(c.tag);

  const k8s = (c.k8s ?? {}) as Values;
  const overlays: Overlay[] = [];
  const deployment = (merge: Values, field: string) => overlays.push({ source: `${path}.k8s.${field}`, kind: 'Deployment', name, merge });
  const inContainer = (fields: Values) => ({ spec: { template: { spec: { containers: [{ name: container, ...fields }] } } } });

  if (k8s.resources) pilot.resources = deepMerge(pilot.resources ?? {}, k8s.resources);
  if (k8s.replicaCount !== undefined) {
    pilot.replicaCount = k8s.replicaCount;
    const profilePilot = ((profile.values.istiod?.pilot ?? {}) as Values);
    const autoscale = pilot.autoscaleEnabled ?? values.autoscaleEnabled ?? profilePilot.autoscaleEnabled ?? true;
    if (autoscale) {
      warnings.push(`${path}.k8s.replicaCount is set while autoscaling is on: istiod starts with ${k8s.replicaCount} replicas and the autoscaler takes over`);
      deployment({ spec: { replicas: k8s.replicaCount } }, 'replicaCount');
    }
  }
  const hpa = (k8s.hpaSpec ?? {}) as Values;
  if (hpa.minReplicas !== undefined) pilot.autoscaleMin = hpa.minReplicas;
  if (hpa.maxReplicas !== undefined) pilot.autoscaleMax = hpa.maxReplicas;
  if (hpa.behavior !== undefined) pilot.autoscaleBehavior = hpa.behavior;
  const hpaRest = omit(hpa, ['minReplicas', 'maxReplicas', 'behavior']);
  if (Object.keys(hpaRest).length) overlays.push({ source: `${path}.k8s.hpaSpec`, kind: 'HorizontalPodAutoscaler', name, merge: { spec: hpaRest } });

  const pdb = (k8s.podDisruptionBudget ?? {}) as Values;
  if (Object.keys(pdb).length) {
    const v = (isObject(values.pdb) ? values.pdb : {}) as Values;
    if (pdb.minAvailable !== undefined) v.minAvailable = pdb.minAvailable;
    if (pdb.maxUnavailable !== undefined) v.maxUnavailable = pdb.maxUnavailable;
    if (pdb.unhealthyPodEvictionPolicy !== undefined) v.unhealthyPodEvictionPolicy = pdb.unhealthyPodEvictionPolicy;
    values.pdb = v;
    if (pdb.selector) overlays.push({ source: `${path}.k8s.podDisruptionBudget`, kind: 'PodDisruptionBudget', name, merge: { spec: { selector: pdb.selector } } });
  }

  const env = (k8s.env ?? []) as Values[];
  const builtIn = env.filter((e) => ISTIOD_ENV.has(e.name as string));
  const own = env.filter((e) => !ISTIOD_ENV.has(e.name as string));
  if (own.some((e) => !e.valueFrom)) pilot.env = { ...((pilot.env as Values) ?? {}), ...Object.fromEntries(own.filter((e) => !e.valueFrom).map((e) => [e.name, e.value ?? ''])) };
  if (own.some((e) => e.valueFrom)) pilot.envVarFrom = [...((pilot.envVarFrom as Values[]) ?? []), ...own.filter((e) => e.valueFrom).map((e) => ({ name: e.name, valueFrom: e.valueFrom }))];
  if (builtIn.length) deployment(inContainer({ env: builtIn }), 'env');

  if (k8s.nodeSelector) pilot.nodeSelector = { ...((pilot.nodeSelector as Values) ?? {}), ...(k8s.nodeSelector as Values) };
  if (k8s.tolerations) pilot.tolerations = k8s.tolerations;
  if (k8s.affinity) pilot.affinity = deepMerge(pilot.affinity ?? {}, k8s.affinity);
  if (k8s.podAnnotations) pilot.podAnnotations = { ...((pilot.podAnnotations as Values) ?? {}), ...(k8s.podAnnotations as Values) };
  if (k8s.serviceAnnotations) pilot.serviceAnnotations = { ...((pilot.serviceAnnotations as Values) ?? {}), ...(k8s.serviceAnnotations as Values) };
  const strategy = k8s.strategy as Values | undefined;
  if (strategy) {
    const ru = (strategy.rollingUpdate ?? {}) as Values;
    if (strategy.type === 'Recreate') deployment({ spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }, 'strategy');
    else {
      if (ru.maxSurge !== undefined) pilot.rollingMaxSurge = ru.maxSurge;
      if (ru.maxUnavailable !== undefined) pilot.rollingMaxUnavailable = ru.maxUnavailable;
      if (strategy.type !== undefined) deployment({ spec: { strategy: { type: strategy.type } } }, 'strategy');
    }
  }
  // no chart value of istiod's own: the pod securityContext, and fields whose global.* value would
  // also reach every injected proxy (pull policy) or the injector's values (priorityClassName)
  if (k8s.priorityClassName) deployment({ spec: { template: { spec: { priorityClassName: k8s.priorityClassName } } } }, 'priorityClassName');
  if (k8s.securityContext) deployment({ spec: { template: { spec: { securityContext: k8s.securityContext } } } }, 'securityContext');
  if (k8s.imagePullPolicy) deployment(inContainer({ imagePullPolicy: k8s.imagePullPolicy }), 'imagePullPolicy');
  if (k8s.readinessProbe) deployment(inContainer({ readinessProbe: k8s.readinessProbe }), 'readinessProbe');
  if (k8s.service) overlays.push({ source: `${path}.k8s.service`, kind: 'Service', name, merge: { spec: k8s.service } });
  ((k8s.overlays ?? []) as Values[]).forEach((o, i) => overlays.push(userOverlay(o, `${path}.k8s.overlays[${i}]`)));

  if (Object.keys(pilot).length) values.pilot = pilot;
  else delete values.pilot;
  const namespace = (c.namespace as string | undefined) || istioNamespace;
  return { component: 'pilot', chart: 'istiod', release: name, namespace, values, overlays };
}
