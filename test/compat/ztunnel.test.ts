/**
 * Differential check against upstream's ztunnel chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the intended differences listed
 * here, each with its reason.
 */
import { compareWithUpstream } from '../support/compat';
import { HelmOptions } from '../support/helm';
import { ISTIO_HUB, ISTIO_VERSION } from '../../src/versions';

/** Every pass-through pod and container setting, as an upstream user writes them. */
const POD_SETTINGS = {
  env: { EXTRA: 'x', NUMBER: 3, FLAG: true },
  volumes: [{ name: 'extra', emptyDir: {} }],
  volumeMounts: [{ name: 'extra', mountPath: '/extra' }],
  nodeSelector: { 'node-role.example.com/ambient': 'yes' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mesh', effect: 'NoSchedule' }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
  dnsPolicy: 'ClusterFirstWithHostNet',
  dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
  seLinuxOptions: { type: 'spc_t', level: 's0' },
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
  imagePullSecrets: ['regcred', 'other'],
  imagePullPolicy: 'IfNotPresent',
  terminationGracePeriodSeconds: 60,
  podAnnotations: { 'example.com/pod': 'yes' },
  podLabels: { team: 'mesh' },
  labels: { tier: 'node' },
  annotations: { 'example.com/all': 'yes' },
};

const PROFILES = ['default', 'demo', 'minimal', 'remote', 'external', 'empty', 'preview', 'ambient', 'stable'];
const PLATFORMS = ['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'];
const COMPATIBILITY_VERSIONS = ['1.25', '1.26', '1.27', '1.28', '1.29', '1.30'];

const VARIANTS: Array<[string, HelmOptions]> = [
  ['defaults', {}],
  ['another release name and namespace', { release: 'zt', namespace: 'kube-system' }],
  ['resourceName', { set: ['resourceName=node-proxy', 'global.networkPolicy.enabled=true'] }],
  ['revision', { set: ['revision=canary'] }],
  ['revision with annotations, a network policy and RBAC', { set: ['revision=canary', 'annotations.a=b', 'global.networkPolicy.enabled=true', 'platform=openshift', 'global.ownerName=me'] }],
  ['caAddress and xdsAddress', { set: ['caAddress=ca.example.com:15012', 'xdsAddress=xds.example.com:15012'] }],
  ['istioNamespace with a revision', { set: ['istioNamespace=mesh', 'revision=blue'] }],
  ['network, cluster name, JSON logs, log level', { set: ['network=net-1', 'multiCluster.clusterName=cluster-1', 'logAsJson=true', 'logLevel=info\\,ztunnel::proxy=debug'] }],
  ['globals lifted', { set: ['global.network=net-2', 'global.logAsJson=true', 'global.multiCluster.clusterName=c2', 'global.istioNamespace=mesh', 'global.imagePullPolicy=Always', 'global.imagePullSecrets={regcred}'] }],
  ['an explicit top-level value wins over global', { set: ['global.network=net-2', 'network=net-1', 'global.variant=debug', 'variant=distroless'] }],
  ['meshConfig proxyMetadata', { set: ['meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true', 'meshConfig.defaultConfig.proxyMetadata.X=1'] }],
  ['env and peerCaCrl', { set: ['env.RUST_LOG_STYLE=never', 'env.XDS_TIMEOUT=10', 'peerCaCrl.enabled=true'] }],
  ['ClusterTrustBundle root certificate', { set: ['env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true'] }],
  ['ClusterTrustBundle with trustBundleName', { set: ['env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true', 'trustBundleName=my-root'] }],
  ['trustBundleName ConfigMap', { set: ['trustBundleName=my-root-cm'] }],
  ['resources with limits', { set: ['resources.requests.cpu=500m', 'resources.limits.cpu=2', 'resources.limits.memory=1Gi'] }],
  ['resources without cpu request', { set: ['resources.requests.cpu=null', 'resources.limits.memory=1Gi'] }],
  ['no resources', { set: ['resources=null'] }],
  ['resource quotas', { set: ['resourceQuotas.enabled=true', 'resourceQuotas.pods=100'] }],
  ['every pod setting', { values: POD_SETTINGS }],
  ['no tolerations', { set: ['tolerations=null'] }],
  ['image tag and variant', { set: ['hub=quay.io/me', 'tag=1.31.0', 'variant=debug'] }],
  ['image from global', { set: ['global.hub=quay.io/me', 'global.tag=1.30.2', 'global.variant=distroless'] }],
  ['image as a full reference', { set: [`image=${ISTIO_HUB}/ztunnel:${ISTIO_VERSION}-distroless`] }],
  ['image by digest', { set: ['image=docker.io/istio/ztunnel@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'] }],
  ['image name under the hub', { set: ['image=ztunnel-custom'] }],
  ['network policy', { set: ['global.networkPolicy.enabled=true'] }],
  ['network policy with a revision', { set: ['global.networkPolicy.enabled=true', 'revision=canary'] }],
  ['resourceScope=namespace', { set: ['resourceScope=namespace', 'platform=openshift', 'resourceQuotas.enabled=true'] }],
  ['resourceScope=cluster', { set: ['resourceScope=cluster', 'platform=openshift', 'resourceQuotas.enabled=true', 'global.networkPolicy.enabled=true'] }],
  ['global.resourceScope=cluster', { set: ['global.resourceScope=cluster', 'global.platform=openshift'] }],
  ['values under _internal_defaults_do_not_set', { values: { _internal_defaults_do_not_set: { logLevel: 'debug', network: 'n1' }, network: 'n2' } }],
  ...PROFILES.map((p): [string, HelmOptions] => [`profile=${p}`, { set: [`profile=${p}`] }]),
  ...['ambient', 'demo', 'preview'].map((p): [string, HelmOptions] => [`global.profile=${p}`, { set: [`global.profile=${p}`] }]),
  ['profile=ambient with user values over it', { set: ['profile=ambient', 'variant=debug', 'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE=false'] }],
  ['profile=ambient with global.variant', { set: ['profile=ambient', 'global.variant=debug'] }],
  ['profile=demo with user resources', { set: ['profile=demo', 'resources.requests.cpu=50m'] }],
  ...PLATFORMS.map((p): [string, HelmOptions] => [`platform=${p}`, { set: [`platform=${p}`] }]),
  ...PLATFORMS.map((p): [string, HelmOptions] => [`global.platform=${p}`, { set: [`global.platform=${p}`] }]),
  ['platform=openshift with profile=ambient', { set: ['platform=openshift', 'profile=ambient'], namespace: 'kube-system' }],
  ['platform=gke with quota pods', { set: ['platform=gke', 'resourceQuotas.pods=20'] }],
  ...COMPATIBILITY_VERSIONS.map((v): [string, HelmOptions] => [`compatibilityVersion=${v}`, { set: [`compatibilityVersion=${v}`] }]),
];

const has = (v: HelmOptions, prefix: string) => (v.set ?? []).some((s) => s.startsWith(prefix));
/** What the demo profile sets in this chart (src/charts/ztunnel/profiles.ts). */
const DEMO_RESOURCES = { requests: { cpu: '10m', memory: '40Mi' } };

compareWithUpstream({
  chart: 'ztunnel',
  release: 'ztunnel',
  variants: VARIANTS,
  intended: {
    "the release's official image": {
      reason:
        `ours defaults to the release's image, ${ISTIO_HUB}/ztunnel:${ISTIO_VERSION}, as the istiod chart pins its own; upstream's chart says registry.istio.io/testing and latest, which its release tooling replaces, so upstream is given the same hub and tag as chart defaults (global.* and the user's keys still win over them there)`,
      upstreamOptions: (v) => ({
        ...v,
        values: { ...(v.values ?? {}), _internal_defaults_do_not_set: { hub: ISTIO_HUB, tag: ISTIO_VERSION, ...((v.values as any)?._internal_defaults_do_not_set ?? {}) } },
      }),
    },
    'the demo profile applies to ztunnel': {
      reason:
        "ours applies the demo profile's small ztunnel requests (10m/40Mi), as istioctl's demo does; upstream's ztunnel chart keeps them under the ztunnel key of its demo file and never reads them, so upstream is given them as values",
      when: (v) => (v.set ?? []).some((s) => /^(global\.)?profile=demo$/.test(s)),
      upstreamOptions: (v) => ({ ...v, set: [`resources.requests.cpu=${DEMO_RESOURCES.requests.cpu}`, `resources.requests.memory=${DEMO_RESOURCES.requests.memory}`, ...(v.set ?? [])] }),
    },
    'every profile name is accepted': {
      reason:
        "ours accepts every profile this project knows (default, minimal, empty, and external as remote), none of which changes ztunnel; upstream's chart has files only for the profiles that set something somewhere and fails on the others (\"unknown profile default\"), so upstream is given no profile for them, and remote for external",
      when: (v) => (v.set ?? []).some((s) => /^(global\.)?profile=(default|minimal|empty|external)$/.test(s)),
      upstreamOptions: (v) => ({
        ...v,
        set: (v.set ?? []).flatMap((s) => (/profile=external$/.test(s) ? [s.replace('external', 'remote')] : /profile=(default|minimal|empty)$/.test(s) ? [] : [s])),
      }),
    },
    'the NetworkPolicy follows resourceScope': {
      reason:
        'a NetworkPolicy is namespaced, so ours leaves it out under resourceScope=cluster like the other namespaced objects; upstream renders it under every scope, so upstream is given global.networkPolicy.enabled=false there',
      when: (v) => has(v, 'resourceScope=cluster') || has(v, 'global.resourceScope=cluster'),
      upstreamOptions: (v) => ({ ...v, set: [...(v.set ?? []), 'global.networkPolicy.enabled=false'] }),
    },
  },
});
