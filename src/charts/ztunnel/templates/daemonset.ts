/**
 * The ztunnel DaemonSet: one node proxy per Linux node. Root with NET_ADMIN, NET_RAW and SYS_ADMIN
 * and a host directory: its namespace must be labelled pod-security.kubernetes.io/enforce: privileged.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import {
  HelmObject, Release, comment, eq, expr, hole, ifSet, include, includeValue, rangeMap, str, toString, toYaml, when, withDefault,
} from '../../../helm';
import { V } from '../../../values/ztunnel';
import { namespacedInScope, objectAnnotations, objectLabels, ztunnelName, ZtunnelTemplate } from '../names';

/**
 * Upstream's exact settings (no seccomp profile: the runtime's default one is not asked for, as
 * this pod needs the privileged Pod Security level anyway and SYS_ADMIN's setns must not be
 * filtered). allowPrivilegeEscalation is true because SYS_ADMIN implies it; Kubernetes does not
 * reject the contradiction, but saying false would be untrue.
 */
const NODE_PROXY: k8s.SecurityContext = {
  allowPrivilegeEscalation: true,
  privileged: false,
  capabilities: {
    drop: ['ALL'],
    // TPROXY and setsockopt; setns into the pods' namespaces; raw and packet sockets
    add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'],
  },
  readOnlyRootFilesystem: true,
  runAsGroup: 1337,
  runAsNonRoot: false,
  runAsUser: 0,
};

const fieldRef = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
const cpuRef = (name: string, resource: string): k8s.EnvVar => ({ name, valueFrom: { resourceFieldRef: { resource, divisor: '1' } } });

const istiodAddress = includeValue('ztunnel.istiodAddress');
/** The root certificate from a ClusterTrustBundle (true or "true"; upstream takes only the boolean). */
const clusterTrustBundle = eq(toString(hole('(.Values.env).ENABLE_CLUSTER_TRUST_BUNDLE_API', 'raw')), 'true');

function env(): k8s.EnvVar[] {
  const proxyMetadata = V.meshConfig.defaultConfig.proxyMetadata as unknown as Record<string, string>;
  const userEnv = V.env as unknown as Record<string, string>;
  return [
    { name: 'CA_ADDRESS', value: withDefault(V.caAddress, istiodAddress) },
    { name: 'XDS_ADDRESS', value: withDefault(V.xdsAddress, istiodAddress) },
    when(V.logAsJson, { name: 'LOG_FORMAT', value: 'json' }),
    when(V.network, { name: 'NETWORK', value: V.network }),
    { name: 'RUST_LOG', value: V.logLevel },
    { name: 'RUST_BACKTRACE', value: '1' },
    { name: 'ISTIO_META_CLUSTER_ID', value: withDefault(V.multiCluster.clusterName, 'Kubernetes') },
    comment('ztunnel runs in its own namespace and enters the pods\' (in-pod redirection by istio-cni)', { name: 'INPOD_ENABLED', value: 'true' }),
    { name: 'TERMINATION_GRACE_PERIOD_SECONDS', value: str(V.terminationGracePeriodSeconds) },
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('NODE_NAME', 'spec.nodeName'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    rangeMap(proxyMetadata, (name, value) => ({ name, value: str(value) })),
    comment('worker threads follow the CPU limit (without one, Kubernetes gives the node\'s allocatable CPU)', cpuRef('ZTUNNEL_CPU_LIMIT', 'limits.cpu')),
    when(hole('((.Values.resources).limits).cpu', 'raw'), cpuRef('ZTUNNEL_RESOURCE_CPU_LIMIT', 'limits.cpu')),
    when(hole('((.Values.resources).requests).cpu', 'raw'), cpuRef('ZTUNNEL_RESOURCE_CPU_REQUEST', 'requests.cpu')),
    rangeMap(userEnv, (name, value) => ({ name, value: str(value) })),
    when(V.peerCaCrl.enabled, { name: 'CRL_PATH', value: '/var/run/secrets/istio/crl/ca-crl.pem' }),
  ];
}

function container(): k8s.Container {
  return {
    name: 'istio-proxy',
    image: expr('include "ztunnel.image" .'),
    ports: [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }],
    // resources=null removes the key: nothing to render, rather than a nil map to index
    resources: include('ztunnel.resources', withDefault(V.resources, expr('dict', 'raw'))),
    imagePullPolicy: ifSet(V.imagePullPolicy),
    securityContext: { ...NODE_PROXY, seLinuxOptions: toYaml(V.seLinuxOptions) },
    readinessProbe: { httpGet: { port: 15021, path: '/healthz/ready' } },
    args: ['proxy', 'ztunnel'],
    env: env(),
    volumeMounts: [
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      comment('the socket istio-cni hands pod network namespaces over', { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' }),
      comment('pprof writes here; the root filesystem is read-only', { mountPath: '/tmp', name: 'tmp' }),
      when(V.peerCaCrl.enabled, { mountPath: '/var/run/secrets/istio/crl', name: 'crl-volume', readOnly: true }),
      toYaml(V.volumeMounts),
    ],
  };
}

function volumes(): k8s.Volume[] {
  return [
    {
      name: 'istio-token',
      projected: { sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } }] },
    },
    when(
      clusterTrustBundle,
      {
        name: 'istiod-ca-cert',
        projected: { sources: [{ clusterTrustBundle: { name: `istio.io:istiod-ca:${withDefault(V.trustBundleName, 'root-cert')}`, path: 'root-cert.pem' } }] },
      },
      { name: 'istiod-ca-cert', configMap: { name: withDefault(V.trustBundleName, 'istio-ca-root-cert') } },
    ),
    comment('created if missing: istio-cni may start after ztunnel', { name: 'cni-ztunnel-sock-dir', hostPath: { path: '/var/run/ztunnel', type: 'DirectoryOrCreate' } }),
    { name: 'tmp', emptyDir: {} },
    when(V.peerCaCrl.enabled, comment('the CRL of a plugged-in CA, when its ConfigMap exists', { name: 'crl-volume', configMap: { name: 'istio-ca-crl', optional: true } })),
    toYaml(V.volumes),
  ];
}

function podSpec(): k8s.PodSpec {
  return {
    nodeSelector: include('ztunnel.nodeSelector'),
    affinity: toYaml(V.affinity),
    serviceAccountName: ztunnelName,
    tolerations: toYaml(V.tolerations),
    dnsPolicy: ifSet(V.dnsPolicy),
    dnsConfig: toYaml(V.dnsConfig),
    containers: [container()],
    priorityClassName: 'system-node-critical',
    terminationGracePeriodSeconds: V.terminationGracePeriodSeconds,
    volumes: volumes(),
  };
}

export class ZtunnelDaemonSet extends ZtunnelTemplate {
  constructor(scope: Construct) {
    super(scope, 'daemonset', { condition: namespacedInScope });
    const template: k8s.PodTemplateSpec = {
      metadata: { labels: include('ztunnel.podLabels'), annotations: include('ztunnel.podAnnotations') },
      spec: podSpec(),
    };
    new HelmObject(this, 'ztunnel', {
      gvk: k8s.GVK.DaemonSet,
      metadata: { name: ztunnelName, namespace: Release.namespace, labels: objectLabels(), annotations: objectAnnotations() },
      body: {
        spec: {
          updateStrategy: toYaml(V.updateStrategy),
          selector: { matchLabels: { app: 'ztunnel' } },
          template,
        },
      },
    });
  }
}
