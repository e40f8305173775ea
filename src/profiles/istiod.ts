/**
 * What each installation profile changes in the istiod chart, as values overlays in our
 * model's shape (Deployment keys under `pilot`). They are applied under the user's values:
 * chart defaults < profile < compatibility version < platform < user values.
 * Keys that concern other charts (istio-cni, ztunnel, the legacy gateways) are left out,
 * except the istio-cni settings istiod hands to the injection templates as `pilot.cni`.
 */
const SMALL = { requests: { cpu: '10m', memory: '40Mi' } };

/** Settings an earlier minor release had as defaults, by the version that keeps them. */
const COMPATIBILITY: Record<string, string[]> = {
  '1.25': ['ENABLE_NATIVE_SIDECARS', 'DISABLE_SHADOW_HOST_SUFFIX', 'PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY', 'DISABLE_TRACK_REMAINING_CB_METRICS', 'PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE', 'PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
  '1.26': ['ENABLE_NATIVE_SIDECARS', 'DISABLE_SHADOW_HOST_SUFFIX', 'PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY', 'DISABLE_TRACK_REMAINING_CB_METRICS', 'PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE', 'PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
  '1.27': ['DISABLE_SHADOW_HOST_SUFFIX', 'PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY', 'DISABLE_TRACK_REMAINING_CB_METRICS', 'PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE', 'PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
  '1.28': ['DISABLE_TRACK_REMAINING_CB_METRICS', 'PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE', 'PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
  '1.29': ['PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE', 'PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
  '1.30': ['PILOT_ENABLE_STRICT_GATEWAY_MERGING', 'PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY', 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS'],
};
/** Versions before which ambient's CNI agent did not reconcile iptables at start. */
const NO_IPTABLES_RECONCILE = ['1.25', '1.26', '1.27', '1.28'];

export const ISTIOD_PROFILES: Record<string, Record<string, unknown>> = {
  default: {},
  minimal: {},
  empty: {},
  demo: {
    meshConfig: {
      accessLogFile: '/dev/stdout',
      extensionProviders: [
        { name: 'otel', envoyOtelAls: { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 } },
        { name: 'skywalking', skywalking: { service: 'tracing.istio-system.svc.cluster.local', port: 11800 } },
        { name: 'otel-tracing', opentelemetry: { port: 4317, service: 'opentelemetry-collector.observability.svc.cluster.local' } },
        { name: 'jaeger', opentelemetry: { port: 4317, service: 'jaeger-collector.istio-system.svc.cluster.local' } },
      ],
    },
    global: { proxy: { resources: SMALL }, waypoint: { resources: SMALL } },
    pilot: { autoscaleEnabled: false, traceSampling: 100, resources: { requests: { cpu: '10m', memory: '100Mi' } }, cni: { resources: SMALL } },
  },
  ambient: {
    meshConfig: {
      defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } },
      serviceScopeConfigs: [{ servicesSelector: { matchExpressions: [{ key: 'istio.io/global', operator: 'In', values: ['true'] }] }, scope: 'GLOBAL' }],
    },
    global: { variant: 'distroless' },
    pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' }, cni: { ambient: { enabled: true } } },
  },
  preview: { meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } } },
  remote: { istiodRemote: { enabled: true }, pilot: { configMap: false }, telemetry: { enabled: false }, global: { omitSidecarInjectorConfigMap: true } },
  stable: { experimental: { stableValidationPolicy: true } },
};

export const ISTIOD_COMPATIBILITY_PROFILES: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(COMPATIBILITY).map(([version, vars]) => [
    version,
    {
      pilot: {
        env: Object.fromEntries(vars.map((v) => [v, 'false'])),
        ...(NO_IPTABLES_RECONCILE.includes(version) ? { cni: { ambient: { reconcileIptablesOnStartup: false } } } : {}),
      },
    },
  ]),
);

/** Where each platform keeps CNI files; istiod passes them on to the injection templates. */
export const ISTIOD_PLATFORM_PROFILES: Record<string, Record<string, unknown>> = {
  gke: { pilot: { cni: { cniBinDir: '', resourceQuotas: { enabled: true } } } },
  k3d: { pilot: { cni: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/bin' } } },
  k3s: { pilot: { cni: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/var/lib/rancher/k3s/data/cni' } } },
  microk8s: { pilot: { cni: { cniConfDir: '/var/snap/microk8s/current/args/cni-network', cniBinDir: '/var/snap/microk8s/current/opt/cni/bin' } } },
  minikube: { pilot: { cni: { cniNetnsDir: '/var/run/docker/netns' } } },
  openshift: {
    pilot: {
      cni: { enabled: true, provider: 'multus', cniBinDir: '/var/lib/cni/bin', cniConfDir: '/etc/cni/multus/net.d', chained: false, cniConfFileName: 'istio-cni.conf' },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      trustedZtunnelNamespace: 'kube-system',
    },
  },
};
