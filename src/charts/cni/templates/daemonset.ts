/**
 * The node agent: one install-cni pod per node. It copies the istio-cni plugin into the host's
 * CNI binary directory and adds it to the node's CNI configuration, so the container runtime
 * runs it for every new pod (the pod's traffic redirection without istio-init); it runs the
 * repair controller and, in ambient mode, redirects ambient pods to the node's ztunnel.
 * It writes host paths and enters pod network namespaces, hence host mounts and capabilities:
 * its namespace must allow Pod Security `privileged`.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import {
  HelmObject, Release, and, comment, expr, ifSet, include, includeValue, mergeOver, not, onlyIf, or, rangeMap, spread, str, ternary, toYaml, when, withDefault,
} from '../../../helm';
import { V } from '../../../values/cni';
import { CNI_NAME, CONFIG_MAP_NAME, NODE_NAME, CniTemplate, namespaced, ownerLabels, standardLabels } from '../names';

const A = V.ambient;
/** The agent lives in the node's network namespace (ambient.shareHostNetworkNamespace). */
const hostNetwork = and(A.enabled, A.shareHostNetworkNamespace);
/** The host's /proc, where the agent finds the network namespaces of running pods. */
const needsProcfs = or(V.repair.repairPods, A.enabled);
/** cniBinDir, else GKE's binary directory when the Kubernetes version says GKE (upstream's detection). */
const binDir = withDefault(V.cniBinDir, ternary('/home/kubernetes/bin', '/opt/cni/bin', expr<boolean>('contains "-gke" .Capabilities.KubeVersion.GitVersion', 'raw')));

const fieldRef = (fieldPath: string): k8s.EnvVarSource => ({ fieldRef: { fieldPath } });
const resourceRef = (resource: string): k8s.EnvVarSource => ({ resourceFieldRef: { resource, divisor: '1' } });

/**
 * Not privileged: the capabilities the agent needs, each for a reason. Root, because it writes
 * host directories owned by root; seccomp and SELinux as the user sets them (SELinux type
 * spc_t unless given, which lets a confined host's agent reach the host paths).
 */
function securityContext(): k8s.SecurityContext {
  return {
    ...comment('AppArmor would block what the capabilities allow; set here, or by the pod annotation on Kubernetes 1.29 and older'),
    ...onlyIf(not(V.useAppArmorAnnotation), { appArmorProfile: { type: 'Unconfined' } }),
    privileged: false,
    runAsGroup: 0,
    runAsUser: 0,
    runAsNonRoot: false,
    capabilities: {
      drop: ['ALL'],
      add: [
        comment('ipsets and routing tables (ambient)', 'NET_ADMIN'),
        comment('iptables rules in the nat table', 'NET_RAW'),
        comment('to inspect the network namespace of a pod (repair, ambient)', 'SYS_PTRACE'),
        comment('to open pod network namespaces through /proc; no narrower capability allows it', 'SYS_ADMIN'),
        comment('to write host directories owned by someone else once the other capabilities are dropped', 'DAC_OVERRIDE'),
      ],
    },
    seLinuxOptions: when(V.seLinuxOptions, toYaml(mergeOver(V.seLinuxOptions, expr('dict "type" "spc_t"', 'raw')), { always: true })),
    seccompProfile: toYaml(V.seccompProfile),
  };
}

function container(): k8s.Container {
  return {
    name: 'install-cni',
    image: includeValue('cni.image'),
    imagePullPolicy: ifSet(withDefault(V.pullPolicy, V.global.imagePullPolicy)),
    ports: [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/readyz', port: 8000 } },
    securityContext: securityContext(),
    command: ['install-cni'],
    args: [
      when(or(V.logging.level, V.global.logging.level), `--log_output_level=${expr('coalesce .Values.logging.level .Values.global.logging.level', 'raw')}`),
      when(V.global.logAsJson, '--log_as_json'),
    ],
    envFrom: [{ configMapRef: { name: CONFIG_MAP_NAME } }],
    env: [
      { name: 'REPAIR_NODE_NAME', valueFrom: fieldRef('spec.nodeName') },
      { name: 'REPAIR_RUN_AS_DAEMON', value: 'true' },
      { name: 'REPAIR_SIDECAR_ANNOTATION', value: 'sidecar.istio.io/status' },
      comment('the agent may step into the node\'s network namespace when it does not live there', when(not(hostNetwork), { name: 'ALLOW_SWITCH_TO_HOST_NS', value: 'true' })),
      { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      { name: 'GOMEMLIMIT', valueFrom: resourceRef('limits.memory') },
      { name: 'GOMAXPROCS', valueFrom: resourceRef('limits.cpu') },
      { name: 'POD_NAME', valueFrom: fieldRef('metadata.name') },
      { name: 'POD_NAMESPACE', valueFrom: fieldRef('metadata.namespace') },
      rangeMap(V.env, (name, value) => ({ name, value: str(value) })),
    ],
    volumeMounts: [
      { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
      when(needsProcfs, { mountPath: '/host/proc', name: 'cni-host-procfs', readOnly: true }),
      { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
      { mountPath: '/var/run/istio-cni', name: 'cni-socket-dir' },
      when(A.enabled, [
        comment('pod network namespaces mounted after the agent started must show up in it', { mountPath: '/host/var/run/netns', mountPropagation: 'HostToContainer', name: 'cni-netns-dir' }),
        { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' },
      ]) as unknown as k8s.VolumeMount,
    ],
    resources: include('cni.resources', withDefault(V.resources, V.global.defaultResources)),
  };
}

function volumes(): k8s.Volume[] {
  return [
    comment('where the plugin binary goes', { name: 'cni-bin-dir', hostPath: { path: binDir } }),
    when(needsProcfs, { name: 'cni-host-procfs', hostPath: { path: '/proc', type: 'Directory' } }),
    when(A.enabled, { name: 'cni-ztunnel-sock-dir', hostPath: { path: '/var/run/ztunnel', type: 'DirectoryOrCreate' } }),
    comment('where the CNI configuration is', { name: 'cni-net-dir', hostPath: { path: V.cniConfDir } }),
    comment('sockets: the plugin\'s log and ambient events reach the agent here', { name: 'cni-socket-dir', hostPath: { path: '/var/run/istio-cni' } }),
    comment(
      'created if missing: the runtime makes it with the first pod that has its own network namespace, and the agent must not wait for that',
      { name: 'cni-netns-dir', hostPath: { path: V.cniNetnsDir, type: 'DirectoryOrCreate' } },
    ),
  ];
}

function podSpec(): k8s.PodSpec {
  return {
    ...onlyIf(hostNetwork, { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: toYaml(V.affinity),
    tolerations: toYaml(V.tolerations),
    ...comment('evicted last: without the agent, new pods on the node start without redirection'),
    priorityClassName: 'system-node-critical',
    serviceAccountName: CNI_NAME,
    ...comment('time for the agent to take the plugin out of the CNI configuration before it stops'),
    terminationGracePeriodSeconds: V.terminationGracePeriodSeconds,
    containers: [container()],
    volumes: volumes(),
  };
}

export class CniDaemonSet extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'daemonset', { condition: namespaced });
    const template: k8s.PodTemplateSpec = {
      metadata: {
        labels: {
          'k8s-app': NODE_NAME,
          ...comment('the agent is never injected nor captured itself'),
          'sidecar.istio.io/inject': 'false',
          'istio.io/dataplane-mode': 'none',
          ...standardLabels(),
          ...spread(toYaml(V.podLabels)),
        },
        annotations: {
          'sidecar.istio.io/inject': 'false',
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '15014',
          'prometheus.io/path': '/metrics',
          ...onlyIf(V.useAppArmorAnnotation, { 'container.apparmor.security.beta.kubernetes.io/install-cni': 'unconfined' }),
          ...spread(toYaml(V.podAnnotations)),
        },
      },
      spec: podSpec(),
    };
    new HelmObject(this, 'agent', {
      gvk: k8s.GVK.DaemonSet,
      metadata: {
        ...comment(`a fixed name: the plugin looks the agent up by it (${NODE_NAME})`),
        name: NODE_NAME,
        namespace: Release.namespace,
        labels: { ...ownerLabels({ 'k8s-app': NODE_NAME }), ...spread(toYaml(V.daemonSetLabels)) },
      },
      body: {
        spec: {
          selector: { matchLabels: { 'k8s-app': NODE_NAME } },
          updateStrategy: toYaml(V.updateStrategy),
          template,
        },
      },
    });
  }
}
