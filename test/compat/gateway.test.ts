/**
 * Differential check against upstream's gateway chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the differences listed in
 * `intended`, each with its reason.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { canonical, missingFrom } from '../support/compat';
import { helm, identities, chart } from '../support/helm';
import { upstreamChart } from '../support/upstream';

const gatewayChartDir = () => chart('gateway');

const EGRESS_VALUES = YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', 'egress-gateway.yaml'), 'utf8'), { version: '1.1' });

/** Every pass-through pod and container setting, as an upstream user writes them. */
const POD_SETTINGS = {
  env: { ISTIO_META_X: 'y', NUMBER: 3 },
  envVarFrom: [{ name: 'SECRET_X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
  securityContext: { runAsUser: 1337, runAsGroup: 1337 },
  containerSecurityContext: { runAsNonRoot: true, capabilities: { add: ['NET_BIND_SERVICE'] } },
  volumes: [{ name: 'extra', emptyDir: {} }],
  volumeMounts: [{ name: 'extra', mountPath: '/extra' }],
  initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
  additionalContainers: [{ name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] }],
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gw', effect: 'NoSchedule' }],
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } } }] } },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } } }],
  dnsPolicy: 'ClusterFirstWithHostNet',
  dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
  priorityClassName: 'system-cluster-critical',
  lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
  readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 5 },
  strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
  minReadySeconds: 10,
  imagePullSecrets: [{ name: 'regcred' }],
  imagePullPolicy: 'IfNotPresent',
  terminationGracePeriodSeconds: 60,
  podAnnotations: { 'example.com/pod': 'yes' },
  labels: { team: 'edge', tier: 1 },
  annotations: { 'example.com/all': 'yes' },
  resources: { requests: { cpu: '1', memory: null }, limits: null },
  serviceAccount: { name: 'gw-sa', annotations: { 'example.com/sa': 'yes' } },
};

/** Every Service setting upstream reads. */
const SERVICE_SETTINGS = {
  service: {
    type: 'LoadBalancer',
    annotations: { 'example.com/lb': 'internal', 'example.com/all': 'service wins' },
    loadBalancerIP: '10.0.0.10',
    loadBalancerSourceRanges: ['10.0.0.0/8'],
    externalTrafficPolicy: 'Local',
    internalTrafficPolicy: 'Local',
    healthCheckNodePort: 30021,
    externalIPs: ['192.0.2.1'],
    ipFamilyPolicy: 'PreferDualStack',
    ipFamilies: ['IPv4', 'IPv6'],
    allocateLoadBalancerNodePorts: false,
    loadBalancerClass: 'example.com/lb',
    clusterIP: '10.96.0.50',
    selectorLabels: { extra: 'sel' },
    ports: [{ name: 'tcp-db', port: 5432, targetPort: 15432 }, { name: 'udp-dns', port: 53, protocol: 'UDP', targetPort: 5353 }],
  },
  annotations: { 'example.com/all': 'yes' },
};

interface Variant {
  readonly release?: string;
  readonly namespace?: string;
  readonly set?: string[];
  readonly values?: Record<string, unknown>;
}

const VARIANTS: Array<[string, Variant]> = [
  ['defaults', {}],
  ['another release name and namespace', { release: 'my-gw', namespace: 'gateways' }],
  ['the name override rules (upstream README migration example)', { set: ['name=my-custom-gateway', 'labels.app=', 'labels.istio=ingressgateway', 'labels.foo=bar'] }],
  ['kind=DaemonSet', { set: ['kind=DaemonSet'] }],
  ['kind=DaemonSet with autoscaling off', { set: ['kind=DaemonSet', 'autoscaling.enabled=false'] }],
  ['kind=DaemonSet with a strategy and replicaCount', { set: ['kind=DaemonSet', 'autoscaling.enabled=false', 'replicaCount=2', 'strategy.rollingUpdate.maxUnavailable=1'] }],
  ['service.type=None', { set: ['service.type=None'] }],
  ['service.type=ClusterIP', { set: ['service.type=ClusterIP'] }],
  ['service.type=NodePort', { set: ['service.type=NodePort', 'service.externalTrafficPolicy=Local'] }],
  ['every Service setting', { values: SERVICE_SETTINGS }],
  ['autoscaling off, replicaCount=3', { set: ['autoscaling.enabled=false', 'replicaCount=3'] }],
  ['autoscaling off, replicaCount=0', { set: ['autoscaling.enabled=false', 'replicaCount=0'] }],
  ['HPA with memory target and behavior', { set: ['autoscaling.targetMemoryUtilizationPercentage=70', 'autoscaling.maxReplicas=9', 'autoscaling.autoscaleBehavior.scaleDown.stabilizationWindowSeconds=60'] }],
  ['HPA without CPU target', { set: ['autoscaling.targetCPUUtilizationPercentage=0', 'autoscaling.targetMemoryUtilizationPercentage=70'] }],
  ['PDB with autoscaling minReplicas=2', { set: ['autoscaling.minReplicas=2', 'podDisruptionBudget.minAvailable=1'] }],
  ['PDB with replicaCount=2', { set: ['autoscaling.enabled=false', 'replicaCount=2', 'podDisruptionBudget.maxUnavailable=1', 'podDisruptionBudget.unhealthyPodEvictionPolicy=AlwaysAllow'] }],
  ['PDB asked for but one replica', { set: ['podDisruptionBudget.minAvailable=1'] }],
  ['no RBAC, no ServiceAccount', { set: ['rbac.enabled=false', 'serviceAccount.create=false'] }],
  ['an existing ServiceAccount', { set: ['serviceAccount.create=false', 'serviceAccount.name=existing'] }],
  ['network policy', { set: ['global.networkPolicy.enabled=true'] }],
  ['network policy with a revision and owner', { set: ['global.networkPolicy.enabled=true', 'revision=canary', 'global.ownerName=me'] }],
  ['revision=canary', { set: ['revision=canary'] }],
  ['network gateway', { set: ['networkGateway=network-1'] }],
  ['network gateway with a network policy', { set: ['networkGateway=network-1', 'global.networkPolicy.enabled=true'] }],
  ['network gateway with custom ports', { set: ['networkGateway=network-1', 'networkGatewayPorts.tls.port=443', 'networkGatewayPorts.tls-istiod.port=15012', 'networkGatewayPorts.tls-istiod.protocol=UDP'] }],
  ['every pod setting', { values: POD_SETTINGS }],
  ['globals lifted', { set: ['global.imagePullPolicy=Always', 'global.service.type=ClusterIP', 'service.annotations.a=b', 'global.autoscaling.enabled=false', 'global.replicaCount=2', 'global.podAnnotations.x=y'] }],
  ['globals lifted: kind, rbac, labels', { set: ['global.kind=DaemonSet', 'global.rbac.enabled=false', 'global.labels.team=edge'] }],
  ['pull secrets by name in global (istiod style)', { set: ['global.imagePullSecrets={regcred,other}'] }],
  ['an explicit top-level value wins over global', { set: ['global.imagePullPolicy=Always', 'imagePullPolicy=IfNotPresent', 'global.service.type=NodePort', 'service.type=ClusterIP'] }],
  ['values under _internal_defaults_do_not_set', { values: { _internal_defaults_do_not_set: { service: { type: 'ClusterIP', annotations: { a: 'b' } }, kind: 'DaemonSet' }, service: { type: 'NodePort' } } }],
  // upstream's profiles set nothing its gateway templates read, so they render as the defaults
  ['profile=demo', { set: ['profile=demo'] }],
  ['profile=ambient (global.variant lifted, unused)', { set: ['profile=ambient'] }],
  ['platform=openshift, compatibilityVersion=1.28', { set: ['platform=openshift', 'compatibilityVersion=1.28'] }],
  ['the egress gateway values file', { release: 'istio-egressgateway', namespace: 'istio-egress', values: EGRESS_VALUES }],
];

/** `helm template` with helm v4; upstream's NetworkPolicy repeats the app and istio labels, so duplicate keys are read last-wins. */
function render(chartDir: string, v: Variant): Map<string, any> {
  const args = ['template', v.release ?? 'istio-ingressgateway', chartDir, '-n', v.namespace ?? 'istio-system'];
  if (v.values) {
    const file = join(mkdtempSync(join(tmpdir(), 'values-')), 'values.yaml');
    writeFileSync(file, YAML.stringify(v.values, { version: '1.1' }));
    args.push('-f', file);
  }
  for (const s of v.set ?? []) args.push('--set', s);
  const r = helm('v4', args);
  if (r.status !== 0) throw new Error(`helm template ${chartDir} failed:\n${r.stderr}`);
  const objects = YAML.parseAllDocuments(r.stdout, { version: '1.1', uniqueKeys: false })
    .map((d) => d.toJS())
    .filter((o) => o);
  return new Map(objects.map((o) => [identities([o])[0], canonical(o)]));
}

/**
 * Differences we mean to have, applied to both sides before comparing; each says why.
 * Anything not listed here must be equal.
 */
function intended(id: string, ours: any, theirs: any, v: Variant): [any, any] {
  if (id.startsWith('NetworkPolicy/')) {
    // Ours carries the chart's standard labels (managed-by, instance, part-of, version, chart)
    // like every other object; upstream's NetworkPolicy alone lacks them.
    const standard = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of'];
    ours = { ...ours, metadata: { ...ours.metadata, labels: Object.fromEntries(Object.entries(ours.metadata.labels).filter(([k]) => !standard.includes(k))) } };
    if (v.set?.some((s) => s.startsWith('networkGateway='))) {
      // A network gateway's Service forwards to the cross-network ports (15443, 15012, 15017):
      // ours admits those; upstream's admits service.ports, which that Service does not expose.
      const withoutServicePorts = (o: any) => ({ ...o, spec: { ...o.spec, ingress: o.spec.ingress.slice(0, 2) } });
      ours = withoutServicePorts(ours);
      theirs = withoutServicePorts(theirs);
    }
  }
  if (/^(Deployment|DaemonSet)\//.test(id)) {
    // Resource quantities keep the type they were given ("1" stays a string); upstream writes them
    // unquoted, so "1" becomes the number 1. Kubernetes reads both as the same quantity.
    const quantitiesAsStrings = (o: any) => {
      const c = o.spec.template.spec.containers[0];
      if (!c.resources) return o;
      const resources = Object.fromEntries(Object.entries<any>(c.resources).map(([k, q]) => [k, Object.fromEntries(Object.entries(q).map(([n, x]) => [n, String(x)]))]));
      const containers = [{ ...c, resources }, ...o.spec.template.spec.containers.slice(1)];
      return { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers } } } };
    };
    ours = quantitiesAsStrings(ours);
    theirs = quantitiesAsStrings(theirs);
  }
  if (/^(Deployment|DaemonSet)\//.test(id) && theirs.spec.template.spec.imagePullSecrets) {
    // Bare names (global.imagePullSecrets as the istiod chart takes them) become {name: ...}
    // entries; upstream writes the bare strings, which Kubernetes rejects.
    const secrets = theirs.spec.template.spec.imagePullSecrets.map((s: any) => (typeof s === 'string' ? { name: s } : s));
    theirs = { ...theirs, spec: { ...theirs.spec, template: { ...theirs.spec.template, spec: { ...theirs.spec.template.spec, imagePullSecrets: secrets } } } };
  }
  if (/^DaemonSet\//.test(id)) {
    // A DaemonSet has no spec.replicas and calls its strategy spec.updateStrategy: upstream writes
    // spec.replicas and spec.strategy, which the API server rejects as unknown fields.
    if (theirs.spec.strategy) theirs = { ...theirs, spec: { ...theirs.spec, strategy: undefined, updateStrategy: theirs.spec.strategy } };
    theirs = { ...theirs, spec: { ...theirs.spec, replicas: undefined } };
  }
  return [JSON.parse(JSON.stringify(ours)), JSON.parse(JSON.stringify(theirs))];
}

describe.each(VARIANTS)('gateway chart vs upstream: %s', (_name, variant) => {
  let ours: Map<string, any>;
  let theirs: Map<string, any>;
  beforeAll(() => {
    ours = render(gatewayChartDir(), variant);
    theirs = render(upstreamChart('gateway'), variant);
  });

  test('the same objects (kind, namespace, name)', () => {
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  });

  test('each object is equal, apart from the documented differences', () => {
    const differences = [...theirs.keys()]
      .filter((id) => ours.has(id))
      .flatMap((id) => {
        const [a, b] = intended(id, ours.get(id), theirs.get(id), variant);
        return [...missingFrom(a, b), ...missingFrom(b, a).map((d) => `extra in ours: ${d}`)].map((d) => `${id} ${d}`);
      });
    expect(differences).toEqual([]);
  });
});
