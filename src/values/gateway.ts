/**
 * Values of the `gateway` chart: keys and defaults as upstream's gateway chart of the pinned
 * release (its `_internal_defaults_do_not_set` block), so a values file written for it works
 * unchanged. The chart has no image keys: the pod says `image: auto` and istiod's injector
 * fills in the proxy image (global.hub/tag of the istiod release), as upstream's does.
 *
 * Every top-level key may also be given under `global` (upstream flattens `global.*` onto the
 * chart's keys); the `gateway.values` helper does that at render time, see
 * src/charts/gateway/templates/_values.ts.
 */
import { dnsLabel, port, portOrName, resources } from './formats';
import type { LegacyKey } from './legacy';
import { field, refsOf, section } from './model';
import { profileSelectors } from './profiles';

type Obj = Record<string, unknown>;

const objects = { type: 'object' };
const intOrString = { type: ['integer', 'string'] };
/** Kubernetes writes annotation values as strings; upstream also lets integers through. */
const annotationValues = { additionalProperties: { type: ['string', 'integer'] } };

export const gatewayValues = section('', {
  name: field('', 'Name of every object of the release, instead of the release name. Rarely needed: mainly to adopt\nobjects of an existing installation.'),
  revision: field('', 'Istio revision (istiod release with revision=...) that injects and configures this gateway.', { schema: dnsLabel }),
  replicaCount: field<number | null>(null, 'Fixed number of gateway pods, used only when autoscaling.enabled is false; null leaves the\nKubernetes default (1).', {
    type: ['integer', 'null'],
    schema: { minimum: 0 },
  }),
  kind: field('Deployment', 'Run the gateway as a Deployment, or as a DaemonSet (one pod per node; no autoscaler).', {
    enum: ['Deployment', 'DaemonSet'],
  }),

  rbac: section('Role granting the gateway read access to TLS Secrets in its namespace.', {
    enabled: field(true, 'Create the Role and RoleBinding. Gateways deployed for Gateway API resources do not need them.'),
  }),

  serviceAccount: section('ServiceAccount the gateway pods run as.', {
    create: field(true, 'Create the ServiceAccount; false uses an existing one (name, or "default").'),
    annotations: field<Obj>({}, 'Annotations on the ServiceAccount (e.g. a cloud workload identity).'),
    name: field('', 'Name of the ServiceAccount; empty uses the gateway name.'),
  }),

  podAnnotations: field<Obj>(
    {
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/stats/prometheus',
      'inject.istio.io/templates': 'gateway',
      'sidecar.istio.io/inject': 'true',
    },
    'Annotations on the gateway pods. The defaults ask istiod to inject the pod with its "gateway"\ntemplate and Prometheus to scrape the merged metrics; keep them when adding your own.',
    { schema: { additionalProperties: { type: 'string' } } },
  ),

  securityContext: field<Obj | null>({}, 'Pod securityContext; empty sets only the sysctl that lets a non-root proxy bind ports 80 and 443.', {
    type: ['object', 'null'],
  }),
  containerSecurityContext: field<Obj | null>(
    {},
    'securityContext of the istio-proxy container; empty means non-root, read-only root filesystem,\nno capabilities and no privilege escalation.',
    { type: ['object', 'null'] },
  ),

  service: section('The Service in front of the gateway pods.', {
    type: field('LoadBalancer', 'Service type; None creates no Service (e.g. when traffic reaches the pods another way).', {
      enum: ['LoadBalancer', 'ClusterIP', 'NodePort', 'None'],
    }),
    clusterIP: field('', 'A fixed cluster IP (or None for a headless Service); empty lets Kubernetes choose.'),
    selectorLabels: field<Obj>({}, 'Labels added to the Service selector, beyond app and istio.', {
      schema: { additionalProperties: { type: 'string' } },
    }),
    ports: field<Obj[]>(
      [
        { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
      ],
      'Ports of the Service (Kubernetes ServicePort entries). Gateway resources bind to the targetPort.\nReplaced by networkGatewayPorts when networkGateway is set; must not be empty otherwise.',
      {
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            port,
            protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
            targetPort: portOrName,
            nodePort: port,
            appProtocol: { type: 'string' },
          },
          required: ['port'],
          additionalProperties: false,
        },
      },
    ),
    annotations: field<Obj>({}, 'Annotations on the Service only (e.g. cloud load balancer settings); they win over annotations.', {
      schema: annotationValues,
    }),
    loadBalancerIP: field('', 'Requested load balancer address, for providers that still honour it.'),
    loadBalancerSourceRanges: field<string[]>([], 'Client CIDRs the load balancer admits; empty admits all.', {
      items: { type: 'string' },
    }),
    externalTrafficPolicy: field('', 'Local keeps client source IPs (traffic only to pods on the receiving node); empty is Cluster.', {
      enum: ['', 'Cluster', 'Local'],
    }),
    healthCheckNodePort: field<number | null>(null, 'Node port of the load balancer health check, with externalTrafficPolicy Local; null lets Kubernetes pick.', {
      type: ['integer', 'null'],
      schema: { minimum: 1, maximum: 65535 },
    }),
    externalIPs: field<string[]>([], 'Extra IPs, routed to the nodes, on which the Service is reachable.', { items: { type: 'string' } }),
    ipFamilyPolicy: field('', 'Single or dual stack; empty keeps the cluster default.', {
      enum: ['', 'SingleStack', 'PreferDualStack', 'RequireDualStack'],
    }),
    ipFamilies: field<string[]>([], 'IP families of the Service, in order of preference.', {
      items: { type: 'string', enum: ['IPv4', 'IPv6'] },
    }),
    // Upstream's values.yaml mentions these only in comments; its templates read them.
    allocateLoadBalancerNodePorts: field<boolean | null>(null, 'LoadBalancer only: false asks for no node ports (load balancers that reach pods directly);\nnull keeps the Kubernetes default.', {
      type: ['boolean', 'null'],
    }),
    loadBalancerClass: field('', 'LoadBalancer only: which load balancer implementation serves the Service; empty is the cluster default.'),
    internalTrafficPolicy: field('', 'Local sends in-cluster traffic only to gateway pods on the same node; empty is Cluster.', {
      enum: ['', 'Cluster', 'Local'],
    }),
  }),

  resources: field<Obj>(
    { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
    'Resources of the istio-proxy container; set an entry to null to drop it.',
    { schema: resources },
  ),

  autoscaling: section('HorizontalPodAutoscaler (kind Deployment only).', {
    enabled: field(true, 'Scale the Deployment with an autoscaler; replicaCount is then ignored.'),
    minReplicas: field(1, 'Fewest gateway pods.', { schema: { minimum: 1 } }),
    maxReplicas: field(5, 'Most gateway pods.', { schema: { minimum: 1 } }),
    targetCPUUtilizationPercentage: field(80, 'Average CPU use, in percent of the request, the autoscaler aims at; 0 drops the CPU metric.', {
      schema: { minimum: 0 },
    }),
    targetMemoryUtilizationPercentage: field<number | Obj>({}, 'Average memory use, in percent of the request, the autoscaler aims at; empty ({}) adds no\nmemory metric.', {
      type: ['integer', 'object', 'null'],
      schema: { minimum: 1, maxProperties: 0 },
    }),
    autoscaleBehavior: field<Obj>({}, 'spec.behavior of the autoscaler (scale-up and scale-down policies), passed through.'),
  }),

  env: field<Obj>({}, 'Extra environment variables of the proxy, as NAME: value (values are written as strings).', {
    schema: { additionalProperties: { type: ['string', 'number', 'boolean'] } },
  }),
  envVarFrom: field<Obj[]>([], 'Extra environment variables taken from Secrets, ConfigMaps or fields, as Kubernetes EnvVar\nentries with name and valueFrom.', {
    items: {
      type: 'object',
      properties: { name: { type: 'string' }, valueFrom: objects },
      required: ['name', 'valueFrom'],
      additionalProperties: false,
    },
  }),
  strategy: field<Obj>({}, 'Update strategy (Deployment spec.strategy; written as spec.updateStrategy for a DaemonSet).'),
  minReadySeconds: field<number | null>(null, 'Seconds a new pod must be ready before it counts as available; null keeps the Kubernetes default.', {
    type: ['integer', 'null'],
    schema: { minimum: 0 },
  }),
  readinessProbe: field<Obj | null>({}, 'Readiness probe of the proxy; empty keeps the one the injector adds (GET /healthz/ready on 15021).', {
    type: ['object', 'null'],
  }),

  labels: field<Obj>(
    { 'istio.io/dataplane-mode': 'none' },
    'Labels on every object and pod. app and istio are special: they replace the selector labels\n(by default app=<name> and istio=<name without "istio-">). The default keeps the gateway out of\nthe ambient data plane.',
    { schema: { additionalProperties: { type: ['string', 'number', 'boolean'] } } },
  ),
  annotations: field<Obj>({}, 'Annotations on the Deployment, Service, autoscaler and RBAC objects (not on pods).', {
    schema: annotationValues,
  }),

  nodeSelector: field<Obj>({}, 'Node labels the gateway pods must match.'),
  tolerations: field<Obj[]>([], 'Tolerations of the gateway pods.', { items: objects }),
  topologySpreadConstraints: field<Obj[]>([], 'How gateway pods are spread across zones or nodes.', { items: objects }),
  affinity: field<Obj>({}, 'Affinity and anti-affinity of the gateway pods.'),

  networkGateway: field('', 'Name of the network this gateway connects to other networks (multi-network mesh). When set,\nthe Service exposes networkGatewayPorts instead of service.ports.'),
  networkGatewayPorts: field<Obj>(
    {
      'status-port': { port: 15021, targetPort: 15021 },
      tls: { port: 15443, targetPort: 15443 },
      'tls-istiod': { port: 15012, targetPort: 15012 },
      'tls-webhook': { port: 15017, targetPort: 15017 },
    },
    'Service ports of a network gateway (used only with networkGateway): status-port, tls (cross-network\nmTLS), tls-istiod and tls-webhook (istiod for remote clusters). All four are required.',
    {
      schema: {
        additionalProperties: {
          type: 'object',
          properties: {
            port,
            targetPort: port,
            protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
          },
          required: ['port'],
          additionalProperties: false,
        },
      },
    },
  ),

  imagePullPolicy: field('', 'imagePullPolicy of the proxy container; empty lets Kubernetes decide.', {
    enum: ['', 'Always', 'IfNotPresent', 'Never'],
  }),
  imagePullSecrets: field<Obj[]>([], 'Secrets used to pull the proxy image, as [{name: regcred}] (bare names, as global.imagePullSecrets\nwrites them, are accepted too).', {
    items: { type: ['object', 'string'], properties: { name: { type: 'string' } } },
  }),

  podDisruptionBudget: field<Obj>(
    {},
    'PodDisruptionBudget of the gateway pods, e.g. {minAvailable: 1}; empty creates none. It is created\nonly when more than one pod is guaranteed (autoscaling.minReplicas > 1, or replicaCount > 1 without\nautoscaling), so it never blocks node drains.',
    {
      schema: {
        properties: {
          minAvailable: intOrString,
          maxUnavailable: intOrString,
          unhealthyPodEvictionPolicy: { type: 'string', enum: ['', 'IfHealthyBudget', 'AlwaysAllow'] },
        },
        additionalProperties: false,
      },
    },
  ),

  dnsPolicy: field('', 'DNS policy of the gateway pods; empty keeps the Kubernetes default (ClusterFirst).', {
    enum: ['', 'ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  }),
  dnsConfig: field<Obj>({}, 'DNS settings of the gateway pods (nameservers, searches, options).'),
  terminationGracePeriodSeconds: field(30, 'Seconds a stopping pod gets to drain connections before it is killed.', { schema: { minimum: 0 } }),
  volumes: field<Obj[]>([], 'Extra volumes of the gateway pods.', { items: objects }),
  volumeMounts: field<Obj[]>([], 'Extra volume mounts of the istio-proxy container.', { items: objects }),
  initContainers: field<Obj[]>([], 'Init containers added to the gateway pods.', { items: objects }),
  additionalContainers: field<Obj[]>([], 'Containers run next to istio-proxy in the gateway pods.', { items: objects }),
  priorityClassName: field('', 'PriorityClass of the gateway pods, so they are not evicted before less important workloads.'),
  lifecycle: field<Obj>({}, 'Lifecycle hooks (postStart, preStop) of the istio-proxy container.', {
    schema: { properties: { postStart: objects, preStop: objects } },
  }),

  // Read by upstream's templates, not listed in its values.yaml.
  ownerName: field('', 'Written into the install.operator.istio.io/owning-resource label of the NetworkPolicy; empty means unknown.'),

  global: section(
    'Settings shared by all Istio charts. Any key of this chart may also be set here (global.kind,\nglobal.imagePullPolicy, ...); the top-level key wins when it is set. Unknown keys are accepted.',
    {
      networkPolicy: section('NetworkPolicy objects.', {
        enabled: field(false, 'Create a NetworkPolicy admitting the gateway\'s status, metrics and service ports (all egress allowed).'),
      }),
    },
    { open: true },
  ),

  // Keys of other Istio charts, accepted so one values file can serve several of them.
  defaultRevision: field('', 'Read by the base and istiod charts, not this one; accepted for values files shared with them.', { schema: dnsLabel }),
  pilot: field<Obj>({}, 'Read by the istiod chart, not this one; accepted for values files shared with it.'),

  ...profileSelectors,
});

/**
 * Keys upstream's schema accepts that are not chart settings: accepted, with a NOTES warning that
 * names what to use. `runAsRoot` and `unprivilegedPort` do nothing (in upstream's chart either);
 * keys under `_internal_defaults_do_not_set` (a values file copied from upstream's values.yaml)
 * are still applied, as upstream's chart applies them.
 */
export const GATEWAY_LEGACY_KEYS: LegacyKey[] = [
  {
    path: '_internal_defaults_do_not_set',
    replacement: 'the same keys at the top level',
    removed: false,
  },
  { path: 'runAsRoot', ignored: true, replacement: 'securityContext and containerSecurityContext', removed: false },
  { path: 'unprivilegedPort', ignored: true, replacement: 'securityContext', removed: false },
];

export const V = refsOf(gatewayValues);
