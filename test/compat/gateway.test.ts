/**
 * Differential check against upstream's gateway chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the intended differences listed
 * here, each with its reason.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { RUNTIME_DEFAULT_SECCOMP, compareWithUpstream } from '../support/compat';
import { HelmOptions } from '../support/helm';

const valuesFile = (path: string) => YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', path), 'utf8'), { version: '1.1' });
const EGRESS_VALUES = valuesFile('egress-gateway.yaml');
/** What the demo profile sets in the gateway chart, as the generated values file has it. */
const DEMO_GATEWAY_VALUES = valuesFile('demo/gateway.yaml');

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

const VARIANTS: Array<[string, HelmOptions]> = [
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
  // ours applies demo's gateway settings, upstream is given them as values (see the intended differences)
  ['profile=demo', { set: ['profile=demo'] }],
  ['profile=demo with user values over it', { set: ['profile=demo', 'autoscaling.maxReplicas=3', 'resources.requests.cpu=50m'] }],
  // ambient installs no gateway, so ours refuses it without enabled=true; with it neither chart
  // changes anything (upstream lifts ambient's global.variant, which its gateway never reads)
  ['profile=ambient with enabled=true', { set: ['profile=ambient', 'enabled=true'] }],
  ['platform=openshift, compatibilityVersion=1.28', { set: ['platform=openshift', 'compatibilityVersion=1.28'] }],
  ['the egress gateway values file', { release: 'istio-egressgateway', namespace: 'istio-egress', values: EGRESS_VALUES }],
];

const isNetworkGateway = (v: HelmOptions) => (v.set ?? []).some((s) => s.startsWith('networkGateway='));

compareWithUpstream({
  chart: 'gateway',
  release: 'istio-ingressgateway',
  variants: VARIANTS,
  intended: {
    'restricted by default: RuntimeDefault seccomp': RUNTIME_DEFAULT_SECCOMP,
    'the demo profile applies to the gateway': {
      reason:
        'ours applies the demo profile\'s gateway settings (no autoscaler, 10m/40Mi requests, the tcp 31400 and tls 15443 ports of istio.io\'s tasks), as istioctl\'s demo does for its gateways; upstream\'s gateway chart ignores profile=demo (its demo file sets only the legacy gateways.* keys), so upstream is given the same settings as values (values/demo/gateway.yaml)',
      when: (v) => (v.set ?? []).includes('profile=demo'),
      upstreamOptions: (v) => ({ ...v, values: { ...DEMO_GATEWAY_VALUES, ...(v.values ?? {}) } }),
    },
    'standard labels on the NetworkPolicy': {
      reason:
        'ours carries the chart\'s standard labels (managed-by, instance, part-of, version, chart) like every other object; upstream\'s NetworkPolicy alone lacks them',
      objects: /^NetworkPolicy\//,
      align: (ours, theirs) => {
        const standard = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of'];
        const labels = Object.fromEntries(Object.entries(ours.metadata.labels).filter(([k]) => !standard.includes(k)));
        return [{ ...ours, metadata: { ...ours.metadata, labels } }, theirs];
      },
    },
    'a network gateway admits the cross-network ports': {
      reason:
        'a network gateway\'s Service forwards to the cross-network ports (15443, 15012, 15017): ours admits those; upstream\'s admits service.ports, which that Service does not expose',
      objects: /^NetworkPolicy\//,
      when: isNetworkGateway,
      align: (ours, theirs) => {
        const withoutServicePorts = (o: any) => ({ ...o, spec: { ...o.spec, ingress: o.spec.ingress.slice(0, 2) } });
        return [withoutServicePorts(ours), withoutServicePorts(theirs)];
      },
    },
    'resource quantities keep their type': {
      reason:
        'resource quantities keep the type they were given ("1" stays a string); upstream writes them unquoted, so "1" becomes the number 1. Kubernetes reads both as the same quantity',
      objects: /^(Deployment|DaemonSet)\//,
      align: (ours, theirs) => [quantitiesAsStrings(ours), quantitiesAsStrings(theirs)],
    },
    'pull secrets by name become entries': {
      reason:
        'bare names (global.imagePullSecrets as the istiod chart takes them) become {name: ...} entries; upstream writes the bare strings, which Kubernetes rejects',
      objects: /^(Deployment|DaemonSet)\//,
      align: (ours, theirs) => {
        const secrets = theirs.spec.template.spec.imagePullSecrets;
        if (!secrets) return [ours, theirs];
        theirs.spec.template.spec.imagePullSecrets = secrets.map((s: any) => (typeof s === 'string' ? { name: s } : s));
        return [ours, theirs];
      },
    },
    'a DaemonSet has no replicas and an updateStrategy': {
      reason:
        'a DaemonSet has no spec.replicas and calls its strategy spec.updateStrategy: upstream writes spec.replicas and spec.strategy, which the API server rejects as unknown fields',
      objects: /^DaemonSet\//,
      align: (ours, theirs) => {
        const { replicas: _, strategy, ...spec } = theirs.spec;
        return [ours, { ...theirs, spec: strategy ? { ...spec, updateStrategy: strategy } : spec }];
      },
    },
  },
});

/** The first container's resource quantities as strings. */
function quantitiesAsStrings(o: any): any {
  const c = o.spec.template.spec.containers[0];
  if (!c.resources) return o;
  c.resources = Object.fromEntries(Object.entries<any>(c.resources).map(([k, q]) => [k, Object.fromEntries(Object.entries(q).map(([n, x]) => [n, String(x)]))]));
  return o;
}
