/**
 * Values of the `ztunnel` chart: keys and meaning as upstream's ztunnel chart of the pinned
 * release (its `_internal_defaults_do_not_set` block, plus the keys its templates read without
 * listing them), so a values file written for it works unchanged. One default differs: the
 * image is the release's official one (docker.io/istio/ztunnel:1.31.4) instead of upstream's
 * development placeholder (registry.istio.io/testing, tag latest), as the istiod chart pins its own.
 *
 * Every top-level key may also be given under `global` (upstream flattens `global.*` onto the
 * chart's keys); the `ztunnel.values` helper does that at render time, see
 * src/charts/ztunnel/templates/_values.ts.
 */
import { ISTIO_HUB, ISTIO_VERSION } from '../versions';
import { dnsLabel, resources } from './formats';
import type { LegacyKey } from './legacy';
import { field, refsOf, section, unsetField } from './model';
import { profileSelectors } from './profiles';

type Obj = Record<string, unknown>;

/** No `enabled` of its own: the chart renders under every profile (the root schema still accepts a parent chart's). */
const { enabled: _enabled, ...selectors } = profileSelectors;

const objects = { type: 'object' };
const stringMap = { additionalProperties: { type: 'string' } };
/** Label and annotation values are strings; upstream also lets numbers and booleans through, written as YAML scalars. */
const scalarMap = { additionalProperties: { type: ['string', 'number', 'boolean'] } };

export const ztunnelValues = section('', {
  hub: field(ISTIO_HUB, 'Registry the ztunnel image is pulled from.'),
  tag: field<string | number>(ISTIO_VERSION, 'Tag of the ztunnel image.', { type: ['string', 'number'] }),
  variant: field('', 'Image flavour appended to the tag: debug or distroless; empty for the default image. The\nambient profile selects distroless.', {
    enum: ['', 'debug', 'distroless'],
  }),
  image: field('ztunnel', 'Image name under the hub, or a complete image reference when it contains a "/".'),
  imagePullPolicy: field('', 'imagePullPolicy of the ztunnel container; empty lets Kubernetes decide.', {
    enum: ['', 'Always', 'IfNotPresent', 'Never'],
  }),
  imagePullSecrets: field<Array<string | Obj>>([], 'Names of Secrets (in the release namespace) the ServiceAccount pulls images with; {name: x}\nentries are accepted too.', {
    items: { type: ['string', 'object'], properties: { name: { type: 'string' } } },
  }),

  resourceName: field('', 'Name of the DaemonSet, ServiceAccount and other objects instead of "ztunnel". The name is the\nServiceAccount istiod trusts for node certificate requests: when you change it, set the istiod\nchart\'s trustedZtunnelName to the same name.', {
    schema: { pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 63 },
  }),
  revision: field('', 'Istio revision (istiod release with revision=...) whose istiod serves this ztunnel: it is\nthe istio.io/rev annotation and picks istiod-<revision> as CA and XDS server.', { schema: dnsLabel }),
  istioNamespace: field('istio-system', 'Namespace of istiod, used to find the CA and XDS server when caAddress or xdsAddress is empty.'),
  caAddress: field('', 'Address (host:port) of the CA ztunnel asks for workload certificates; empty is\nistiod[-<revision>].<istioNamespace>.svc:15012.'),
  xdsAddress: field('', 'Address (host:port) of the XDS server ztunnel reads its configuration from; empty is\nistiod[-<revision>].<istioNamespace>.svc:15012. TLS is checked against the trust bundle.'),
  trustBundleName: field('', 'ConfigMap (or, with env.ENABLE_CLUSTER_TRUST_BUNDLE_API, ClusterTrustBundle istio.io:istiod-ca:<name>)\nholding the root certificate; empty is istio-ca-root-cert (root-cert for the ClusterTrustBundle).'),
  network: field('', 'Network this cluster belongs to (multi-network meshes); empty uses global.network.'),
  multiCluster: section('Multi-cluster settings.', {
    clusterName: field('', 'Name of this cluster as istiod knows it (ISTIO_META_CLUSTER_ID); empty is Kubernetes.'),
  }),
  meshConfig: section(
    'Mesh configuration. ztunnel reads only defaultConfig.proxyMetadata; the other keys are accepted\n(and ignored) so one values file can serve the istiod chart too.',
    {
      defaultConfig: section('Proxy defaults.', {
        proxyMetadata: field<Obj>({}, 'Environment variables of ztunnel, as NAME: value (the ambient profile sets\nISTIO_META_ENABLE_HBONE). Values are written as strings.', {
          schema: { additionalProperties: { type: ['string', 'number', 'boolean'] } },
        }),
      }, { open: true }),
    },
    { open: true },
  ),

  logLevel: field('info', 'Log level of ztunnel (RUST_LOG): trace, debug, info, warn, error, or per-module directives\nsuch as "info,ztunnel::proxy=debug".'),
  logAsJson: field(false, 'Write logs as JSON.'),
  env: field<Obj>({}, 'Extra environment variables of ztunnel, as NAME: value (values are written as strings).\nENABLE_CLUSTER_TRUST_BUNDLE_API: true reads the root certificate from a ClusterTrustBundle.', {
    schema: { additionalProperties: { type: ['string', 'number', 'boolean'] } },
  }),
  peerCaCrl: section('Certificate revocation list of a plugged-in CA.', {
    enabled: field(false, 'Check peer certificates against the CRL in the istio-ca-crl ConfigMap (mounted if it exists).'),
  }),

  resources: field<Obj>(
    { requests: { cpu: '200m', memory: '512Mi' } },
    'Resources of the ztunnel container; set an entry to null to drop it. Above 2 cores, requests.cpu\nalso sets the least number of worker threads. 512Mi serves about 200k pods or 100k open connections.',
    { schema: resources },
  ),
  resourceQuotas: section('A ResourceQuota admitting ztunnel\'s system-node-critical pods (GKE admits that class only\nin namespaces with such a quota; the gke platform turns it on).', {
    enabled: field(false, 'Create the ResourceQuota.'),
    pods: field<number | string>(5000, 'Pods of the system-node-critical class the quota admits (one per node).', {
      type: ['integer', 'string'],
      schema: { pattern: '^[0-9]+$', minimum: 0 },
    }),
  }),

  labels: field<Obj>({}, 'Labels on the DaemonSet, ServiceAccount and ResourceQuota (not on the pods: see podLabels).', { schema: scalarMap }),
  annotations: field<Obj>({}, 'Annotations on the DaemonSet, ServiceAccount and OpenShift RBAC objects (not on the pods).', { schema: scalarMap }),
  podLabels: field<Obj>({}, 'Extra labels on the ztunnel pods.', { schema: scalarMap }),
  podAnnotations: field<Obj>(
    { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
    'Annotations on the ztunnel pods. The defaults let Prometheus scrape the metrics port; keep them\nwhen adding your own.',
    { schema: scalarMap },
  ),

  nodeSelector: field<Obj>({}, 'Node labels the ztunnel pods must match, beyond kubernetes.io/os: linux.', { schema: stringMap }),
  affinity: field<Obj>({}, 'Affinity of the ztunnel pods.'),
  tolerations: field<Obj[]>(
    [
      { effect: 'NoSchedule', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ],
    'Tolerations of the ztunnel pods. The defaults tolerate every taint, so each node that runs ambient\npods also runs ztunnel.',
    { items: objects },
  ),
  dnsPolicy: field('', 'DNS policy of the ztunnel pods; empty keeps the Kubernetes default (ClusterFirst).', {
    enum: ['', 'ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  }),
  dnsConfig: field<Obj>({}, 'DNS settings of the ztunnel pods (nameservers, searches, options).'),
  volumes: field<Obj[]>([], 'Extra volumes of the ztunnel pods.', { items: objects }),
  volumeMounts: field<Obj[]>([], 'Extra volume mounts of the ztunnel container.', { items: objects }),
  seLinuxOptions: field<Obj>({}, 'SELinux options of the ztunnel container (the openshift platform sets type spc_t, so its\nsockets in host directories are writable).'),
  terminationGracePeriodSeconds: field(30, 'Seconds a stopping ztunnel pod gets before it is killed; ztunnel drains its connections\nfor one second less.', { schema: { minimum: 1 } }),
  updateStrategy: field<Obj>(
    { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    'DaemonSet update strategy. The default starts the new pod on a node before the old one stops, so\nambient pods keep a ztunnel while it is replaced.',
  ),

  resourceScope: field('all', 'Which objects to render: all, cluster (the cluster-scoped OpenShift RBAC only) or namespace\n(the namespaced ones), for clusters where an administrator owns the cluster-scoped part.', {
    enum: ['all', 'cluster', 'namespace'],
  }),

  // Read by upstream's templates, not listed in its values.yaml.
  ownerName: field('', 'Written into the install.operator.istio.io/owning-resource label of the NetworkPolicy and RBAC\nobjects; empty means unknown.'),

  global: section(
    'Settings shared by all Istio charts. Any key of this chart may also be set here (global.hub,\nglobal.tag, global.variant, global.imagePullPolicy, ...); the top-level key wins when it is set.\nUnknown keys are accepted.',
    {
      networkPolicy: section('NetworkPolicy objects.', {
        enabled: field(false, 'Create a NetworkPolicy admitting ztunnel\'s readiness, metrics, admin, HBONE, redirection and\nDNS ports (all egress allowed).'),
      }),
    },
    { open: true },
  ),

  // Keys of other Istio charts, accepted so one values file can serve several of them.
  defaultRevision: field('', 'Read by the base and istiod charts, not this one; accepted for values files shared with them.', { schema: dnsLabel }),
  pilot: field<Obj>({}, 'Read by the istiod chart, not this one; accepted for values files shared with it.'),
  trustedZtunnelNamespace: unsetField<string>('Read by the istiod chart (where ztunnel runs, for CA_TRUSTED_NODE_ACCOUNTS), not this one;\naccepted for values files shared with it.', { type: 'string' }),

  ...selectors,
});

/**
 * Keys upstream's schema accepts that are not chart settings: `_internal_defaults_do_not_set`
 * (a values file copied from upstream's values.yaml) is accepted, warned about, and applied
 * under the user's top-level keys, as upstream's chart applies it.
 */
export const ZTUNNEL_LEGACY_KEYS: LegacyKey[] = [
  {
    path: '_internal_defaults_do_not_set',
    replacement: 'the same keys at the top level',
    removed: false,
  },
];

export const V = refsOf(ztunnelValues);
