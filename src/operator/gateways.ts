/**
 * IstioOperator gateways as releases of our `gateway` chart. istioctl renders each entry of
 * `ingressGateways[]` / `egressGateways[]` with its legacy istio-ingress / istio-egress chart;
 * we give our chart the values that reproduce what matters of those renders: object names
 * (ServiceAccount `<name>-service-account`, Role and RoleBinding `<name>-sds`), namespaces,
 * the `app`/`istio` labels (merged with `label`) as selector and pod labels, the Service
 * (type, ports with the legacy non-root target ports 8080/8443, annotations), rolling update,
 * replicas or HPA bounds, the PDB, resources, env and scheduling. The pods differ by design:
 * ours are injected by istiod with its gateway template (see the accepted differences in
 * test/operator).
 */
import { InputError, clone, deepMerge, isObject } from './errors';
import { Overlay } from './overlays';

type Values = Record<string, unknown>;

export type GatewayKind = 'ingress' | 'egress';

/** The legacy charts' defaults, as our chart's values. */
const LEGACY = {
  ingress: {
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    type: 'LoadBalancer',
    ports: [
      { port: 15021, targetPort: 15021, name: 'status-port', protocol: 'TCP' },
      { port: 80, targetPort: 8080, name: 'http2', protocol: 'TCP' },
      { port: 443, targetPort: 8443, name: 'https', protocol: 'TCP' },
    ],
  },
  egress: {
    labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
    type: 'ClusterIP',
    ports: [
      { port: 80, targetPort: 8080, name: 'http2', protocol: 'TCP' },
      { port: 443, targetPort: 8443, name: 'https', protocol: 'TCP' },
    ],
  },
} as const;

/** The demo profile's ingress ports (istio.io's TCP and TLS tasks use 31400 and 15443). */
const DEMO_INGRESS_PORTS = [
  { port: 15021, targetPort: 15021, name: 'status-port' },
  { port: 80, targetPort: 8080, name: 'http2' },
  { port: 443, targetPort: 8443, name: 'https' },
  { port: 31400, targetPort: 31400, name: 'tcp' },
  { port: 15443, targetPort: 15443, name: 'tls' },
];

const LEGACY_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } };

/** ServiceSpec fields our chart has a value for (service.<same name>). */
const SERVICE_VALUE_FIELDS = [
  'type', 'clusterIP', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalTrafficPolicy', 'healthCheckNodePort', 'externalIPs',
  'ipFamilyPolicy', 'ipFamilies', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy',
];

export interface GatewayInput {
  readonly kind: GatewayKind;
  /** The entry of spec.components.<kind>Gateways[], already merged with the profile's. */
  readonly entry: Values;
  /** Its path, for messages: spec.components.ingressGateways[0]. */
  readonly path: string;
  /** values.gateways.istio-<kind>gateway */
  readonly legacy: Values;
  readonly global: Values;
  readonly profile: string;
  readonly revision: string;
  readonly namespace: string;
}

export interface GatewayRelease {
  readonly name: string;
  readonly namespace: string;
  readonly values: Values;
  readonly overlays: Overlay[];
  readonly warnings: string[];
}

const DNS = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** One gateway entry as a release of our gateway chart. */
export function gatewayRelease(g: GatewayInput): GatewayRelease {
  const warnings: string[] = [];
  const e = g.entry;
  const legacy = g.legacy;
  const name = (e.name as string | undefined) ?? (legacy.name as string | undefined);
  if (!name) {
    throw new InputError(`${g.path}.name`, 'required: every enabled gateway needs a name (with --set alone, [0] indexes a new list that replaces the profile\'s; list the name too, or use a file)');
  }
  if (!DNS.test(name) || name.length > 253) throw new InputError(`${g.path}.name`, `invalid gateway name "${name}": lower-case letters, digits, '-' and '.'`);
  for (const k of ['hub', 'tag']) {
    if (e[k] !== undefined) throw new InputError(`${g.path}.${k}`, 'unsupported: our gateway pods run the proxy image istiod injects (set spec.hub/spec.tag or values.global.hub/tag)');
  }
  const k8s = (e.k8s ?? {}) as Values;
  const k8sPath = `${g.path}.k8s`;
  const def = LEGACY[g.kind];
  const demo = g.profile === 'demo';

  const labels = { ...def.labels, ...((legacy.labels as Values) ?? {}), ...((e.label as Values) ?? {}) };
  const autoscaleEnabled = (legacy.autoscaleEnabled as boolean | undefined) ?? !demo;
  const hpa = (k8s.hpaSpec ?? {}) as Values;
  const autoscaleMin = (hpa.minReplicas as number | undefined) ?? (legacy.autoscaleMin as number | undefined) ?? 1;
  const autoscaleMax = (hpa.maxReplicas as number | undefined) ?? (legacy.autoscaleMax as number | undefined) ?? 5;
  const replicaCount = (k8s.replicaCount as number | undefined) ?? (legacy.replicaCount as number | undefined);

  let resources: Values = clone(LEGACY_RESOURCES);
  if (demo) resources = deepMerge(resources, { requests: { cpu: '10m', memory: '40Mi' } }) as Values;
  if (legacy.resources) resources = deepMerge(resources, legacy.resources) as Values;
  if (k8s.resources) resources = deepMerge(resources, k8s.resources) as Values;

  const service = (k8s.service ?? {}) as Values;
  let ports = (legacy.ports as Values[] | undefined) ?? (g.kind === 'ingress' && demo ? DEMO_INGRESS_PORTS : def.ports);
  if (service.ports) ports = service.ports as Values[];

  const values: Values = {
    name,
    labels,
    serviceAccount: { name: `${name}-service-account`, ...(isObject(legacy.serviceAccount) ? legacy.serviceAccount : {}) },
    service: {
      type: (legacy.type as string | undefined) ?? def.type,
      ports: clone(ports),
      ...pick(legacy, ['loadBalancerIP', 'loadBalancerSourceRanges', 'externalTrafficPolicy', 'ipFamilyPolicy', 'ipFamilies']),
      ...pick(service, SERVICE_VALUE_FIELDS),
      annotations: { ...((legacy.serviceAnnotations as Values) ?? {}), ...((k8s.serviceAnnotations as Values) ?? {}) },
    },
    strategy: strategyValue(legacy, k8s.strategy as Values | undefined),
    autoscaling: {
      enabled: autoscaleEnabled,
      minReplicas: autoscaleMin,
      maxReplicas: autoscaleMax,
      targetCPUUtilizationPercentage: (legacy.cpu as Values | undefined)?.targetAverageUtilization ?? 80,
      ...(isObject(legacy.memory) && legacy.memory.targetAverageUtilization ? { targetMemoryUtilizationPercentage: legacy.memory.targetAverageUtilization } : {}),
      ...(hpa.behavior ? { autoscaleBehavior: hpa.behavior } : {}),
    },
    resources,
  };
  if (g.revision) values.revision = g.revision;
  if (legacy.runAsRoot !== undefined) warnings.push(`spec.values.gateways.istio-${g.kind}gateway.runAsRoot is ignored: our gateway pods run as non-root and bind ports below 1024 through a sysctl`);
  if (replicaCount !== undefined) values.replicaCount = replicaCount;

  // scheduling and pod settings: the legacy value, then the k8s field over it
  const nodeSelector = { ...((legacy.nodeSelector as Values) ?? {}), ...((k8s.nodeSelector as Values) ?? {}) };
  if (Object.keys(nodeSelector).length) values.nodeSelector = nodeSelector;
  const tolerations = (k8s.tolerations ?? legacy.tolerations) as unknown[] | undefined;
  if (tolerations) values.tolerations = tolerations;
  if (legacy.topologySpreadConstraints) values.topologySpreadConstraints = legacy.topologySpreadConstraints;
  if (k8s.affinity) values.affinity = k8s.affinity;
  if (k8s.priorityClassName) values.priorityClassName = k8s.priorityClassName;
  if (k8s.securityContext) values.securityContext = k8s.securityContext;
  if (k8s.imagePullPolicy) values.imagePullPolicy = k8s.imagePullPolicy;
  if (k8s.readinessProbe) values.readinessProbe = k8s.readinessProbe;
  const podAnnotations = { ...((legacy.podAnnotations as Values) ?? {}), ...((k8s.podAnnotations as Values) ?? {}) };
  if (Object.keys(podAnnotations).length) values.podAnnotations = podAnnotations;

  const env: Values = { ...((legacy.env as Values) ?? {}) };
  const envVarFrom: Values[] = [];
  for (const v of (k8s.env ?? []) as Values[]) {
    if (v.valueFrom) envVarFrom.push({ name: v.name, valueFrom: v.valueFrom });
    else env[v.name as string] = v.value ?? '';
  }
  if (Object.keys(env).length) values.env = env;
  if (envVarFrom.length) values.envVarFrom = envVarFrom;

  // the legacy charts' PDB: minAvailable 1, only when more than one pod is guaranteed (ours has the same rule)
  const pdbOn = (g.global.defaultPodDisruptionBudget as Values | undefined)?.enabled !== false;
  const pdbSpec = (k8s.podDisruptionBudget ?? {}) as Values;
  const pdb: Values = pdbOn ? { minAvailable: 1 } : {};
  if (pdbSpec.minAvailable !== undefined) pdb.minAvailable = pdbSpec.minAvailable;
  if (pdbSpec.maxUnavailable !== undefined) {
    pdb.maxUnavailable = pdbSpec.maxUnavailable;
    delete pdb.minAvailable;
  }
  if (pdbSpec.unhealthyPodEvictionPolicy !== undefined) pdb.unhealthyPodEvictionPolicy = pdbSpec.unhealthyPodEvictionPolicy;
  if (Object.keys(pdb).length) values.podDisruptionBudget = pdb;
  const pdbRendered = Object.keys(pdb).length > 0 && (autoscaleEnabled ? autoscaleMin > 1 : (replicaCount ?? 0) > 1);

  // post-render patches: the legacy names, then what our chart has no value for
  const overlays: Overlay[] = [
    { source: `${g.path} (legacy Role name)`, kind: 'Role', name: `${name}-service-account`, rename: `${name}-sds` },
    { source: `${g.path} (legacy RoleBinding name)`, kind: 'RoleBinding', name: `${name}-service-account`, patches: [{ path: 'roleRef.name', value: `${name}-sds` }], rename: `${name}-sds` },
  ];
  // the legacy charts select the pods by every label, not just app and istio
  const extraSelector = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'app' && k !== 'istio').map(([k, v]) => [k, String(v)]));
  if (Object.keys(extraSelector).length) {
    (values.service as Values).selectorLabels = extraSelector;
    overlays.push({ source: `${g.path}.label`, kind: 'Deployment', name, merge: { spec: { selector: { matchLabels: extraSelector } } } });
    if (pdbRendered) overlays.push({ source: `${g.path}.label`, kind: 'PodDisruptionBudget', name, merge: { spec: { selector: { matchLabels: extraSelector } } } });
  }
  if (replicaCount !== undefined && autoscaleEnabled && k8s.replicaCount !== undefined) {
    warnings.push(`${k8sPath}.replicaCount is set while autoscaling is on: the Deployment starts with ${replicaCount} replicas and the autoscaler takes over`);
    overlays.push({ source: `${k8sPath}.replicaCount`, kind: 'Deployment', name, merge: { spec: { replicas: replicaCount } } });
  }
  const hpaRest = omit(hpa, ['minReplicas', 'maxReplicas', 'behavior']);
  if (Object.keys(hpaRest).length) {
    if (!autoscaleEnabled) throw new InputError(`${k8sPath}.hpaSpec`, 'autoscaling is off for this gateway, so there is no HorizontalPodAutoscaler to patch');
    overlays.push({ source: `${k8sPath}.hpaSpec`, kind: 'HorizontalPodAutoscaler', name, merge: { spec: hpaRest } });
  }
  const serviceRest = omit(service, [...SERVICE_VALUE_FIELDS, 'ports']);
  if (Object.keys(serviceRest).length) overlays.push({ source: `${k8sPath}.service`, kind: 'Service', name, merge: { spec: serviceRest } });
  if (pdbSpec.selector) {
    if (!pdbRendered) throw new InputError(`${k8sPath}.podDisruptionBudget.selector`, 'this gateway gets no PodDisruptionBudget (it needs more than one guaranteed pod)');
    overlays.push({ source: `${k8sPath}.podDisruptionBudget`, kind: 'PodDisruptionBudget', name, merge: { spec: { selector: pdbSpec.selector } } });
  }
  ((k8s.overlays ?? []) as Values[]).forEach((o, i) => overlays.push(userOverlay(o, `${k8sPath}.overlays[${i}]`)));

  return { name, namespace: (e.namespace as string | undefined) || g.namespace, values, overlays, warnings };
}

/** legacy rollingMaxSurge/Unavailable, then k8s.strategy over them; Recreate takes no rollingUpdate. */
function strategyValue(legacy: Values, strategy: Values | undefined): Values {
  const base: Values = { rollingUpdate: { maxSurge: legacy.rollingMaxSurge ?? '100%', maxUnavailable: legacy.rollingMaxUnavailable ?? '25%' } };
  if (!strategy) return base;
  if (strategy.type === 'Recreate') return { type: 'Recreate' };
  return deepMerge(base, strategy) as Values;
}

/** An IstioOperator overlay entry as ours. */
export function userOverlay(o: Values, source: string): Overlay {
  if (!o.kind || !o.name) throw new InputError(source, 'an overlay needs kind and name');
  return { source, kind: o.kind as string, name: o.name as string, patches: ((o.patches ?? []) as Values[]).map((p) => ({ path: p.path as string, value: p.value })) };
}

export function pick(v: Values, keys: readonly string[]): Values {
  return Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, v[k]]));
}

export function omit(v: Values, keys: readonly string[]): Values {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !keys.includes(k)));
}

