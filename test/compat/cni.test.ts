/**
 * Differential check against upstream's istio-cni chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the intended differences listed
 * here, each with its reason.
 */
import { compareWithUpstream } from '../support/compat';
import { HelmOptions } from '../support/helm';

/**
 * Marks a variant whose `--set`s after it override what its profile or platform sets in this
 * chart (`ownerName=` sets the default, so it changes nothing by itself).
 */
const USER_OVER_PROFILE = 'ownerName=';
/** The profiles upstream's istio-cni chart has no file for: they set nothing in it. */
const PROFILES_WITHOUT_FILES = ['default', 'minimal', 'empty'];

/** Every pass-through pod and container setting, as an upstream user writes them. */
const POD_SETTINGS = {
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mesh', effect: 'NoSchedule' }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'no-cni', operator: 'DoesNotExist' }] }] } } },
  podAnnotations: { 'example.com/pod': 'yes' },
  podLabels: { team: 'mesh' },
  daemonSetLabels: { tier: 'node' },
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
  terminationGracePeriodSeconds: 5,
  env: { CNI_ENABLE_INSTALL: 'true', NUMBER: 3 },
  logging: { level: 'default:debug' },
};

const VARIANTS: Array<[string, HelmOptions]> = [
  ['defaults', {}],
  ['another release name and namespace', { release: 'cni', namespace: 'kube-system' }],
  ['revision and owner', { set: ['revision=canary', 'ownerName=me'] }],
  ['network policy', { set: ['global.networkPolicy.enabled=true'] }],
  ['network policy with a revision', { set: ['global.networkPolicy.enabled=true', 'revision=canary'] }],
  ['resource quotas', { set: ['resourceQuotas.enabled=true', 'resourceQuotas.pods=64'] }],
  ['resources', { set: ['resources.requests.cpu=1', 'resources.limits.memory=1Gi'] }],
  ['resources with an entry removed', { values: { resources: { requests: { cpu: '200m', memory: null } } } }],
  ['empty resources: global.defaultResources', { values: { resources: {}, global: { defaultResources: { requests: { cpu: '50m' }, limits: { cpu: '1' } } } } }],
  ['every pod setting', { values: POD_SETTINGS }],
  ['no tolerations, no update strategy', { values: { tolerations: [], updateStrategy: {} } }],
  ['image hub, tag and variant', { set: ['hub=registry.example.com/istio', 'tag=1.31.4-custom', 'variant=debug'] }],
  ['image from global hub, tag and variant', { set: ['global.hub=mirror.example.com/istio', 'global.tag=1.31.0', 'global.variant=distroless'] }],
  ['image as a complete reference', { set: ['image=registry.example.com/cni/install-cni@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'] }],
  ['image name only', { set: ['image=my-install-cni'] }],
  ['pull policy', { set: ['pullPolicy=Always'] }],
  ['global pull policy and secrets', { set: ['global.imagePullPolicy=IfNotPresent', 'global.imagePullSecrets={regcred,other}'] }],
  ['logging off, JSON logs', { set: ['global.logging.level=', 'global.logAsJson=true'] }],
  ['ambient', { set: ['ambient.enabled=true'] }],
  ['ambient in the host network namespace, no DNS capture, no IPv6', { set: ['ambient.enabled=true', 'ambient.shareHostNetworkNamespace=true', 'ambient.dnsCapture=false', 'ambient.ipv6=false'] }],
  ['ambient without reconcile, with detection retry and own selectors', {
    values: {
      ambient: {
        enabled: true,
        reconcileIptablesOnStartup: false,
        enableAmbientDetectionRetry: true,
        configDir: '/etc/custom-ambient',
        enablementSelectors: [{ namespaceSelector: { matchLabels: { mesh: 'ambient' } } }],
      },
    },
  }],
  ['ambient without repair', { set: ['ambient.enabled=true', 'repair.enabled=false'] }],
  ['repair off', { set: ['repair.enabled=false'] }],
  ['repair deletes pods', { set: ['repair.repairPods=false', 'repair.deletePods=true'] }],
  ['repair labels pods', { set: ['repair.repairPods=false', 'repair.labelPods=true', 'repair.brokenPodLabelKey=broken', 'repair.brokenPodLabelValue=yes', 'repair.initContainerName=check'] }],
  ['repair: delete wins over label', { set: ['repair.repairPods=false', 'repair.deletePods=true', 'repair.labelPods=true'] }],
  ['repair: no mode', { set: ['repair.repairPods=false'] }],
  ['standalone config file', { set: ['chained=false', 'cniConfFileName=istio-cni.conf'] }],
  ['chained into a named file', { set: ['cniConfFileName=10-calico.conflist'] }],
  ['Istio-owned CNI config', { set: ['istioOwnedCNIConfig=true', 'istioOwnedCNIConfigFileName=02-istio.conflist'] }],
  ['Istio-owned CNI config, default file name', { set: ['istioOwnedCNIConfig=true'] }],
  ['excluded namespaces', { set: ['excludeNamespaces={kube-system,istio-system,monitoring}'] }],
  ['no excluded namespaces', { values: { excludeNamespaces: [] } }],
  ['multus provider', { set: ['provider=multus'] }],
  ['CNI paths', { set: ['cniBinDir=/usr/libexec/cni', 'cniConfDir=/etc/kubernetes/cni/net.d', 'cniNetnsDir=/run/netns'] }],
  ['empty cniBinDir (not GKE)', { set: ['cniBinDir='] }],
  ['empty cniBinDir on GKE', { set: ['cniBinDir='], extraArgs: ['--kube-version', 'v1.33.2-gke.1000'] }],
  ['seccomp profile', { values: { seccompProfile: { type: 'RuntimeDefault' } } }],
  ['SELinux options: type added', { values: { seLinuxOptions: { level: 's0:c123,c456' } } }],
  ['SELinux options: own type kept', { values: { seLinuxOptions: { type: 'container_t', user: 'system_u' } } }],
  ['AppArmor profile in the securityContext', { set: ['useAppArmorAnnotation=false'] }],
  ['native nftables', { set: ['global.nativeNftables=true'] }],
  ['cluster-scoped objects only', { set: ['global.resourceScope=cluster', 'provider=multus', 'resourceQuotas.enabled=true'] }],
  ['namespaced objects only', { set: ['global.resourceScope=namespace', 'ambient.enabled=true', 'provider=multus', 'resourceQuotas.enabled=true'] }],
  ['keys under the cni prefix win', { values: { ambient: { enabled: false }, cni: { ambient: { enabled: true }, cniBinDir: '/cni/bin', excludeNamespaces: ['a'] } } }],
  ['values under _internal_defaults_do_not_set', { values: { _internal_defaults_do_not_set: { chained: false, repair: { enabled: false }, cniConfDir: '/internal' }, cniConfDir: '/top' } }],
  // the profiles, by profile= and by global.profile
  ...['default', 'demo', 'ambient', 'preview', 'remote', 'stable', 'empty', 'minimal'].flatMap((p): Array<[string, HelmOptions]> => [
    [`profile=${p}`, { set: [`profile=${p}`] }],
    [`global.profile=${p}`, { set: [`global.profile=${p}`] }],
  ]),
  // user values over a profile's: see the intended differences
  ['profile=demo with user resources over it', { set: ['profile=demo', USER_OVER_PROFILE, 'resources.requests.cpu=50m'] }],
  ['profile=ambient with user ambient settings', { set: ['profile=ambient', 'ambient.dnsCapture=false', 'variant=debug'] }],
  ...['1.25', '1.26', '1.27', '1.28', '1.29', '1.30'].map((v): [string, HelmOptions] => [`compatibilityVersion=${v}`, { set: [`compatibilityVersion=${v}`] }]),
  ['compatibilityVersion=1.25 with ambient', { set: ['compatibilityVersion=1.25', 'ambient.enabled=true'] }],
  ['profile=ambient, compatibilityVersion=1.26', { set: ['profile=ambient', 'compatibilityVersion=1.26'] }],
  // the platforms, by platform= and by global.platform
  ...['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'].flatMap((p): Array<[string, HelmOptions]> => [
    [`platform=${p}`, { set: [`platform=${p}`] }],
    [`global.platform=${p}`, { set: [`global.platform=${p}`] }],
  ]),
  ['platform=gke on GKE', { set: ['platform=gke'], extraArgs: ['--kube-version', 'v1.33.2-gke.1000'] }],
  ['platform=openshift with profile=ambient', { set: ['platform=openshift', 'profile=ambient'] }],
  ['platform=openshift with own SELinux options', { set: ['platform=openshift'], values: { seLinuxOptions: { level: 's0' } } }],
  ['platform=k3s with an own cniBinDir', { set: ['platform=k3s', USER_OVER_PROFILE, 'cniBinDir=/opt/k3s/cni'] }],
  ['compatibilityVersion=1.27 with reconcile back on under cni', { set: ['compatibilityVersion=1.27', 'cni.ambient.reconcileIptablesOnStartup=true'] }],
  ['profile=ambient with ambient off under cni', { set: ['profile=ambient', 'cni.ambient.enabled=false'] }],
];

compareWithUpstream({
  chart: 'cni',
  release: 'istio-cni',
  // the same images for both, so hub/tag defaults (stamped by upstream's release process) do not differ
  set: ['global.hub=docker.io/istio', 'global.tag=1.31.4'],
  variants: VARIANTS,
  intended: {
    'profiles that set nothing here are accepted': {
      reason:
        'ours accepts every profile name the other charts accept (default, minimal and empty set nothing in this chart), so one profile can be given to all charts; upstream\'s chart has no file for them and fails with "unknown profile", so upstream is rendered without the profile',
      when: (v) => (v.set ?? []).some((s) => PROFILES_WITHOUT_FILES.some((p) => s === `profile=${p}` || s === `global.profile=${p}`)),
      upstreamOptions: (v) => ({ ...v, set: (v.set ?? []).filter((s) => !/^(global\.)?profile=/.test(s)) }),
    },
    'the user wins over the profile': {
      reason:
        'ours applies a profile, compatibility version or platform under everything the user sets; upstream merges the `cni:` keys of its profile files over the user\'s top-level keys, so there the profile wins (platform=k3s ignores cniBinDir) unless the user also writes the key under `cni.`. Upstream is given the user\'s keys that way',
      when: (v) => (v.set ?? []).includes(USER_OVER_PROFILE),
      upstreamOptions: (v) => {
        const set = v.set ?? [];
        const at = set.indexOf(USER_OVER_PROFILE);
        return { ...v, set: [...set.slice(0, at), ...set.slice(at + 1).map((s) => `cni.${s}`)] };
      },
    },
  },
});
