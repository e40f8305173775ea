/**
 * `spec.values`: istioctl's one values tree for every chart, routed to the charts that read each
 * key, and checked early against our charts' values models (unknown keys of closed sections,
 * obvious type errors); the charts' strict schemas remain the final word when helm renders.
 *
 * - `global` goes to every chart; `base` and `experimental` to base and istiod, each getting
 *   the keys its model knows; `defaultRevision` to base; every other key our istiod model knows
 *   (pilot, meshConfig, sidecarInjectorWebhook, telemetry, revision, ... and the pilot keys it
 *   also takes at the top level) to istiod.
 * - `gateways.istio-ingressgateway` / `gateways.istio-egressgateway` are the legacy gateway
 *   charts' keys: they become our gateway chart's keys (gateways.ts); `gateways.securityContext`
 *   and `gateways.seccompProfile` are istiod's.
 * - `cni` and `ztunnel` go to the node agents' charts, checked here against those charts'
 *   models (node-agents.ts makes the releases); `istio_cni` is read by no chart of the pinned
 *   release and is only reported.
 */
import { baseValues } from '../values/base';
import { cniValues } from '../values/cni';
import { istiodValues } from '../values/istiod';
import { ISTIOD_LEGACY_KEYS } from '../values/legacy';
import { Field, Fields, Section } from '../values/model';
import { ztunnelValues } from '../values/ztunnel';
import { InputError, formatPath, isObject } from './errors';
import { Schema, check, unknownField } from './iop-schema';

type Values = Record<string, unknown>;
type Path = Array<string | number>;

export interface RoutedValues {
  readonly base: Values;
  readonly istiod: Values;
  /** `global`, given to every chart. */
  readonly global: Values;
  /** The legacy gateway keys, by legacy chart. */
  readonly ingress: Values;
  readonly egress: Values;
  /** `values.cni` and `values.ztunnel`, for the node agents' charts. */
  readonly cni: Values;
  readonly ztunnel: Values;
  /** Keys that no chart reads (`istio_cni`), to report. */
  readonly unread: string[];
}

const NODE_AGENT_KEYS = ['cni', 'ztunnel'] as const;
/** The node agents' values models, by their key in spec.values (node-agents.ts cuts `global` down by them). */
export const NODE_AGENT_MODELS = { cni: cniValues, ztunnel: ztunnelValues } as const;
/** The deprecated CNIUsageConfig of istioctl's values: nothing reads it. */
const IGNORED_KEYS = ['istio_cni'];

/** Keys of the legacy gateway charts (values.gateways.istio-*gateway) and how we take them. */
export const LEGACY_GATEWAY_KEYS: Record<string, Schema> = {
  enabled: { t: 'bool' },
  name: { t: 'string' },
  labels: { t: 'map', of: { t: 'any' } },
  ports: {
    t: 'list',
    of: { t: 'object', fields: { name: { t: 'string' }, port: { t: 'int' }, targetPort: { t: 'intOrString' }, nodePort: { t: 'int' }, protocol: { t: 'string' }, appProtocol: { t: 'string' } } },
  },
  type: { t: 'string' },
  autoscaleEnabled: { t: 'bool' },
  autoscaleMin: { t: 'int', min: 0 },
  autoscaleMax: { t: 'int', min: 1 },
  cpu: { t: 'object', fields: { targetAverageUtilization: { t: 'int' } } },
  memory: { t: 'object', fields: { targetAverageUtilization: { t: 'int' } } },
  rollingMaxSurge: { t: 'intOrString' },
  rollingMaxUnavailable: { t: 'intOrString' },
  resources: { t: 'k8s', model: 'V1ResourceRequirements' },
  env: { t: 'map', of: { t: 'any' } },
  nodeSelector: { t: 'map', of: { t: 'string' } },
  tolerations: { t: 'list', of: { t: 'k8s', model: 'V1Toleration' } },
  topologySpreadConstraints: { t: 'list', of: { t: 'k8s', model: 'V1TopologySpreadConstraint' } },
  podAnnotations: { t: 'map', of: { t: 'any' } },
  serviceAnnotations: { t: 'map', of: { t: 'any' } },
  loadBalancerIP: { t: 'string' },
  loadBalancerSourceRanges: { t: 'list', of: { t: 'string' } },
  externalTrafficPolicy: { t: 'string' },
  ipFamilyPolicy: { t: 'string' },
  ipFamilies: { t: 'list', of: { t: 'string' } },
  serviceAccount: { t: 'object', fields: { annotations: { t: 'map', of: { t: 'any' } } } },
  // the legacy chart runs the proxy as root with it; ours binds low ports through a sysctl
  runAsRoot: { t: 'bool' },
  ...Object.fromEntries(
    ['secretVolumes', 'configVolumes', 'additionalContainers', 'customService', 'ingressPorts', 'injectionTemplate', 'podAntiAffinityLabelSelector', 'podAntiAffinityTermLabelSelector', 'zvpn'].map((k) => [
      k,
      { t: 'unsupported', why: 'a legacy gateway chart key our gateway chart has no equivalent for' } as Schema,
    ]),
  ),
};

const GATEWAYS_FIELDS: Record<string, Schema> = {
  'istio-ingressgateway': { t: 'object', fields: LEGACY_GATEWAY_KEYS },
  'istio-egressgateway': { t: 'object', fields: LEGACY_GATEWAY_KEYS },
  enabled: { t: 'bool' },
  securityContext: { t: 'any' },
  seccompProfile: { t: 'any' },
};

/** Keys under `pilot` the istioctl values tree has that our chart takes elsewhere. */
const PILOT_COMPONENT_KEYS = ['enabled'];

type Node = Field<unknown> | Section<Fields>;

/** The istiod model's top-level nodes, the pilot keys it also takes at the root included. */
function istiodRoot(): Record<string, Node> {
  const out: Record<string, Node> = { ...istiodValues.fields };
  const pilot = istiodValues.fields.pilot as Section<Fields>;
  for (const [k, v] of Object.entries(pilot.fields)) out[k] ??= v;
  return out;
}

const LEGACY_PATHS = new Set(ISTIOD_LEGACY_KEYS.map((k) => k.path));

/** Check a values subtree against a model node; `rel` is its path inside the chart's values. */
export function checkNode(value: unknown, node: Node, path: Path, rel: string): void {
  if (value === undefined || value === null) return;
  if (node instanceof Section) {
    if (!isObject(value)) throw new InputError(formatPath(path), `expected a map, got ${JSON.stringify(value)}`);
    for (const [k, v] of Object.entries(value)) {
      const childRel = rel ? `${rel}.${k}` : k;
      if (LEGACY_PATHS.has(childRel)) continue; // the chart names the replacement
      const child = node.fields[k] as Node | undefined;
      if (!child) {
        if (node.options.open) continue;
        if (rel === 'pilot' && PILOT_COMPONENT_KEYS.includes(k)) continue;
        throw unknownField([...path, k], Object.keys(node.fields));
      }
      checkNode(v, child, [...path, k], childRel);
    }
    return;
  }
  checkFieldType(value, node, path);
}

function checkFieldType(value: unknown, f: Field<unknown>, path: Path): void {
  let types = f.options.type ?? inferType(f.defaultValue);
  if (!types) return;
  if (!Array.isArray(types)) types = [types];
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const ok = types.some((t) => t === actual || (t === 'integer' && actual === 'number' && Number.isInteger(value)) || (t === 'number' && actual === 'number'));
  if (!ok) throw new InputError(formatPath(path), `expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
}

function inferType(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  return typeof v;
}

/** Keys of `value` that a section knows (all of them when it is open). */
export function knownPart(value: Values, node: Node): Values {
  if (!(node instanceof Section) || node.options.open) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k in node.fields));
}

/** Check `spec.values` early; used as the IstioOperator schema's `values` node. */
export const valuesSchema: Schema = { t: 'custom', check: (v, path) => void routeValues(v, path) };

/** Check and split `spec.values` by chart. */
export function routeValues(values: unknown, path: Path = ['spec', 'values']): RoutedValues {
  const out = { base: {} as Values, istiod: {} as Values, global: {} as Values, ingress: {} as Values, egress: {} as Values, cni: {} as Values, ztunnel: {} as Values, unread: [] as string[] };
  if (values === undefined || values === null) return out;
  if (!isObject(values)) throw new InputError(formatPath(path), `expected a map, got ${JSON.stringify(values)}`);
  const istiod = istiodRoot();
  const base = baseValues.fields as Record<string, Node>;
  for (const [key, v] of Object.entries(values)) {
    const p = [...path, key];
    if (key === 'global') {
      checkNode(v, istiod.global, p, 'global');
      out.global = v as Values;
    } else if (key === 'gateways') {
      check(v, { t: 'object', fields: GATEWAYS_FIELDS }, p);
      const g = (v ?? {}) as Values;
      out.ingress = (g['istio-ingressgateway'] ?? {}) as Values;
      out.egress = (g['istio-egressgateway'] ?? {}) as Values;
      const own = Object.fromEntries(Object.entries(g).filter(([k]) => k === 'securityContext' || k === 'seccompProfile'));
      if (Object.keys(own).length) out.istiod.gateways = own;
    } else if ((NODE_AGENT_KEYS as readonly string[]).includes(key)) {
      const agent = key as (typeof NODE_AGENT_KEYS)[number];
      checkNode(v, NODE_AGENT_MODELS[agent], p, '');
      if (v !== null && v !== undefined) out[agent] = v as Values;
    } else if (IGNORED_KEYS.includes(key)) {
      out.unread.push(key);
    } else if (key in base || key in istiod) {
      if (!(key in base)) checkNode(v, istiod[key], p, key);
      else if (!(key in istiod)) checkNode(v, base[key], p, key);
      else if (isObject(v)) {
        // known to both (base, experimental): each key must be known to one of them
        for (const [k, x] of Object.entries(v)) {
          const b = base[key] instanceof Section ? (base[key] as Section<Fields>).fields[k] : undefined;
          const i = istiod[key] instanceof Section ? (istiod[key] as Section<Fields>).fields[k] : undefined;
          const node = (b ?? i) as Node | undefined;
          if (!node) throw unknownField([...p, k], [...Object.keys((base[key] as Section<Fields>).fields ?? {}), ...Object.keys((istiod[key] as Section<Fields>).fields ?? {})]);
          checkNode(x, node, [...p, k], `${key}.${k}`);
        }
      } else {
        checkNode(v, istiod[key], p, key);
      }
      if (key in base) out.base[key] = isObject(v) ? knownPart(v, base[key]) : v;
      if (key in istiod) out.istiod[key] = isObject(v) ? knownPart(v, istiod[key]) : v;
    } else {
      throw unknownField(p, [...new Set([...Object.keys(base), ...Object.keys(istiodValues.fields), 'gateways', ...NODE_AGENT_KEYS, ...IGNORED_KEYS])]);
    }
  }
  // istioctl's component switch, not a chart value of ours
  if (isObject(out.istiod.pilot) && 'enabled' in out.istiod.pilot) {
    const { enabled: _enabled, ...rest } = out.istiod.pilot;
    out.istiod.pilot = rest;
  }
  return out;
}
