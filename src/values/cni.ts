/**
 * Values of the `cni` chart: keys and defaults as upstream's istio-cni chart of the pinned
 * release (its `_internal_defaults_do_not_set` block), so a values file written for it works
 * unchanged. Differences: `global.hub`/`global.tag` carry the release's image (upstream's
 * release process stamps them in), and `cni` (upstream's old prefix, still read by its chart
 * and written by its profiles) takes the same keys as the top level, checked by the schema.
 */
import { ISTIO_HUB, ISTIO_VERSION } from '../versions';
import { globalShared } from './global';
import { resources } from './formats';
import { LegacyKey, withLegacyKeys } from './legacy';
import { Fields, field, refsOf, schemaOf, section } from './model';
import { profileSelectors } from './profiles';

type Obj = Record<string, unknown>;

const objects = { type: 'object' };
const IMAGE_VARIANTS = ['', 'debug', 'distroless'];
const PULL_POLICIES = ['', 'Always', 'IfNotPresent', 'Never'];
/** Label and annotation values: strings, though upstream writes numbers and booleans through too. */
const stringMap = { additionalProperties: { type: ['string', 'number', 'boolean'] } };
/** An absolute host path (the chart mounts it with hostPath, which rejects relative ones). */
const hostPath = { type: 'string', pattern: '^(/.*)?$' };

const { enabled: _enabled, ...selectors } = profileSelectors;

/** The chart's own keys: the top level, and again under `cni` (see cniValues). */
const CNI_FIELDS = {
  hub: field('', 'Registry of the install-cni image; empty uses global.hub.'),
  tag: field<string | number>('', 'Tag of the install-cni image; empty uses global.tag.', { type: ['string', 'number'] }),
  variant: field('', 'Image flavour appended to the tag (debug, distroless); empty uses global.variant.', { enum: IMAGE_VARIANTS }),
  image: field('install-cni', 'Image name under the hub, or a complete image reference when it contains a "/".'),
  pullPolicy: field('', 'imagePullPolicy of the install-cni container; empty uses global.imagePullPolicy, then the\nKubernetes default.', {
    enum: PULL_POLICIES,
  }),

  logging: section('Logging of the node agent.', {
    level: field('', 'Log levels of the node agent (scope:level pairs, comma-separated); empty uses global.logging.level.'),
  }),

  cniBinDir: field('/opt/cni/bin', 'Host directory the CNI plugin binary is copied into, where the container runtime looks for\nplugins. Empty picks /home/kubernetes/bin on GKE (told by the Kubernetes version) and\n/opt/cni/bin elsewhere; platform profiles set the paths of k3s, k3d, MicroK8s and OpenShift.', {
    schema: hostPath,
  }),
  cniConfDir: field('/etc/cni/net.d', 'Host directory of the CNI network configuration the plugin is added to.', { schema: hostPath }),
  cniConfFileName: field('', 'CNI configuration file to add the plugin to (chained) or to write (standalone), e.g.\n10-calico.conflist; empty takes the first file found in cniConfDir.'),
  cniNetnsDir: field('/var/run/netns', 'Host directory holding the pods\' network namespaces (ambient mode enters them from there).', {
    schema: hostPath,
  }),

  istioOwnedCNIConfig: field(false, 'Write the chained configuration to a file of Istio\'s own (istioOwnedCNIConfigFileName) instead\nof changing the primary CNI\'s file, so a primary CNI that rewrites its file does not drop Istio.'),
  istioOwnedCNIConfigFileName: field('', 'Name of that file; empty lets the agent use 02-istio-cni.conflist.'),

  excludeNamespaces: field<string[]>(['kube-system'], 'Namespaces whose pods the plugin leaves alone (no traffic redirection, no repair).', {
    items: { type: 'string' },
  }),

  affinity: field<Obj>({}, 'Affinity of the node agent pods, e.g. to keep them off some nodes.'),
  daemonSetLabels: field<Obj>({}, 'Extra labels on the DaemonSet object.', { schema: stringMap }),
  podAnnotations: field<Obj>({}, 'Extra annotations on the node agent pods.', { schema: stringMap }),
  podLabels: field<Obj>({}, 'Extra labels on the node agent pods.', { schema: stringMap }),

  chained: field(true, 'Add the plugin to the existing CNI configuration as a chained plugin (true), or write it as a\nfile of its own (false; OpenShift\'s Multus needs that).'),
  provider: field('default', 'How the plugin is wired in: default (the node\'s CNI configuration), or multus (a\nNetworkAttachmentDefinition that pods opt into, as on OpenShift).', {
    enum: ['default', 'multus'],
  }),

  ambient: section('Ambient mode: the agent redirects the traffic of ambient pods to the node\'s ztunnel.', {
    enabled: field(false, 'Turn on ambient redirection (profile=ambient does).'),
    enablementSelectors: field<Obj[]>(
      [
        { podSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } },
        {
          podSelector: { matchExpressions: [{ key: 'istio.io/dataplane-mode', operator: 'NotIn', values: ['none'] }] },
          namespaceSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } },
        },
      ],
      'Which pods are ambient: a list of pod and namespace label selectors, any one matching. The\ndefaults take a pod labelled istio.io/dataplane-mode=ambient, or any pod not labelled\nnone in a namespace labelled ambient.',
      {
        items: {
          type: 'object',
          properties: { podSelector: objects, namespaceSelector: objects },
          additionalProperties: false,
        },
      },
    ),
    configDir: field('', 'Directory of the ambient configuration in the agent; empty is /etc/ambient-config. Upstream\'s\ntemplates do not read it either; accepted for values files that set it.'),
    dnsCapture: field(true, 'Redirect the DNS queries of ambient pods to ztunnel.'),
    ipv6: field(true, 'Redirect IPv6 traffic too.'),
    reconcileIptablesOnStartup: field(true, 'At start, bring the redirection rules of existing ambient pods up to date with this agent\nversion (compatibility versions before 1.29 turn it off).'),
    shareHostNetworkNamespace: field(false, 'Run the agent in the node\'s network namespace (hostNetwork) instead of entering it when needed.'),
    enableAmbientDetectionRetry: field(false, 'Retry telling whether a pod is ambient when reading it fails, instead of giving up.'),
  }),

  repair: section('The repair controller: what the agent does with pods that started before their traffic\nredirection was in place (their istio-validation init container fails).', {
    enabled: field(true, 'Run the repair controller.'),
    hub: field('', 'Not read by the templates (the repair controller runs in the install-cni container); kept for\nvalues files that set it.'),
    tag: field<string | number>('', 'Not read by the templates, as repair.hub.', { type: ['string', 'number'] }),
    labelPods: field(false, 'Label broken pods with brokenPodLabelKey=brokenPodLabelValue (needs RBAC to patch pod status).'),
    deletePods: field(false, 'Delete broken pods so they are scheduled again (needs RBAC to delete any pod).'),
    repairPods: field(true, 'Set up the redirection of broken pods in place (no extra RBAC; needs the host\'s /proc).\nOnly one of the three modes acts: repairPods, else deletePods, else labelPods.'),
    initContainerName: field('istio-validation', 'Name of the init container whose failure marks a pod as broken.'),
    brokenPodLabelKey: field('cni.istio.io/uninitialized', 'Label key set on broken pods (labelPods).'),
    brokenPodLabelValue: field('true', 'Label value set on broken pods (labelPods).'),
  }),

  seccompProfile: field<Obj>({}, 'seccompProfile of the install-cni container, e.g. {type: RuntimeDefault}; empty sets none.'),
  seLinuxOptions: field<Obj>({}, 'SELinux options of the install-cni container; when set, type defaults to spc_t (the\nopenshift platform sets {type: spc_t}).'),
  useAppArmorAnnotation: field(true, 'Run unconfined by AppArmor through the pod annotation (Kubernetes 1.29 and older); false\nsets appArmorProfile Unconfined in the container securityContext instead.'),

  resources: field<Obj>({ requests: { cpu: '100m', memory: '100Mi' } }, 'Resources of the install-cni container; empty entries are dropped. When empty,\nglobal.defaultResources applies.', {
    schema: resources,
  }),
  resourceQuotas: section('A ResourceQuota admitting system-node-critical pods in the release namespace (GKE only\nadmits that priority class where a quota allows it).', {
    enabled: field(false, 'Create the ResourceQuota (platform=gke does).'),
    pods: field<number | string>(5000, 'Pods of priority class system-node-critical the quota admits.', { type: ['integer', 'string'] }),
  }),

  tolerations: field<Obj[]>(
    [
      { effect: 'NoSchedule', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ],
    'Tolerations of the node agent pods. The defaults tolerate every taint, so every node gets the\nagent (a node without it runs pods without redirection).',
    { items: objects },
  ),

  updateStrategy: field<Obj>({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }, 'spec.updateStrategy of the DaemonSet.'),
  terminationGracePeriodSeconds: field(30, 'Seconds a stopping agent gets to remove the plugin from the CNI configuration.', {
    schema: { minimum: 0 },
  }),

  revision: field('', 'Istio revision this agent belongs to, written into the istio.io/rev label.'),
  ownerName: field('', 'Written into the install.operator.istio.io/owning-resource label; empty means unknown.'),

  env: field<Obj>({}, 'Extra settings of the node agent, as NAME: value; they go to the agent\'s ConfigMap and to\nthe container\'s environment (values are written as strings).', {
    schema: { additionalProperties: { type: ['string', 'number', 'boolean'] } },
  }),
};

const GLOBAL = section(
  'Settings shared by all Istio charts; keys of other charts are accepted.',
  {
    hub: field(ISTIO_HUB, 'Registry the Istio images are pulled from.'),
    tag: field<string | number>(ISTIO_VERSION, 'Tag of the Istio images.', { type: ['string', 'number'] }),
    variant: field('', 'Image flavour appended to the tag: debug or distroless; empty for the default image.', { enum: IMAGE_VARIANTS }),
    imagePullPolicy: field('', 'imagePullPolicy of Istio containers; empty lets Kubernetes decide (Always for :latest).', {
      enum: PULL_POLICIES,
    }),
    imagePullSecrets: globalShared.imagePullSecrets,
    logging: section('Logging.', {
      level: field('info', 'Log levels of the node agent when logging.level is empty.'),
    }),
    logAsJson: field(false, 'Log in JSON.'),
    networkPolicy: section('NetworkPolicy objects.', {
      enabled: field(false, 'Create a NetworkPolicy admitting the agent\'s metrics and readiness ports (all egress allowed).'),
    }),
    defaultResources: field<Obj>({ requests: { cpu: '100m', memory: '100Mi' } }, 'Resources used when resources is empty.', {
      schema: resources,
    }),
    nativeNftables: field(false, 'Program traffic redirection with nftables instead of iptables.'),
    resourceScope: globalShared.resourceScope,
  },
  { open: true },
);

/**
 * Keys values files written for upstream still carry that no template of upstream's chart
 * reads (istioctl's values_types.proto still lists them): accepted, top level or under `cni`,
 * with a NOTES warning that they do nothing and what to set instead (one under `cni` is lifted
 * first, so it is warned about by its top-level name). `_internal_defaults_do_not_set` (a
 * values file copied from upstream's values.yaml) is applied, with a warning.
 */
const UNREAD: LegacyKey[] = [
  { path: 'privileged', ignored: 'the agent runs unprivileged with fixed capabilities', replacement: 'seccompProfile and seLinuxOptions', removed: false },
  { path: 'logLevel', ignored: true, replacement: 'logging.level', removed: false },
  { path: 'pspClusterRole', ignored: 'PodSecurityPolicy is gone since Kubernetes 1.25', replacement: 'Pod Security admission labels on the namespace', removed: false },
  { path: 'rollingMaxUnavailable', ignored: true, replacement: 'updateStrategy.rollingUpdate.maxUnavailable', removed: false },
  { path: 'repair.image', ignored: 'the repair controller runs in the install-cni container', replacement: 'image', removed: false },
  { path: 'repair.createEvents', ignored: 'the repair controller always records events', removed: false },
];

export const CNI_LEGACY_KEYS: LegacyKey[] = [{ path: '_internal_defaults_do_not_set', replacement: 'the same keys at the top level', removed: false }, ...UNREAD];

/** The `cni` prefix takes the chart's own keys, with the same schema (a typo under it fails too). */
const prefixed = withLegacyKeys(schemaOf(section('', CNI_FIELDS as Fields), false), UNREAD);

export const cniValues = section('', {
  ...CNI_FIELDS,
  global: GLOBAL,
  cni: field<Obj>({}, 'The same keys as the top level, under the prefix upstream\'s istio-cni chart also reads (and\nits profiles write); a key set here wins over the top-level one, as there.', {
    schema: { ...prefixed, description: undefined },
  }),
  // no `enabled`: any profile may need the agent (pilot.cni.enabled=true), so none leaves it out
  ...selectors,
});

export const V = refsOf(cniValues);
