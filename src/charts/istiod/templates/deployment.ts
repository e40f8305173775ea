/**
 * The istiod Deployment: pilot-discovery with the flags, env, ports and mounts the pinned
 * release expects.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import {
  HelmObject, Release, and, coalesce, comment, eq, hasKey, hole, ifSet, include, includeValue, ne, not, rangeMap, raw, spread, str, ternary, toYaml, when, withDefault,
} from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName, namespaced, pilotEnv, pilotLabels, revisionOrDefault, runsIstiod, IstiodTemplate, jwksConfigMapName } from '../names';

const P = V.pilot;


const fieldRef = (fieldPath: string): k8s.EnvVarSource => ({ fieldRef: { apiVersion: 'v1', fieldPath } });

/** `pilot.env` as a map even when a user set it to null, for `hasKey`. */
const userEnvMap = hole('(.Values.pilot.env | default dict)', 'raw');

/**
 * A fixed entry that an entry of the same name in `pilot.env` replaces: listing both would
 * give the container the name twice, which a server-side apply (helm v4) refuses.
 */
function unlessInPilotEnv<T extends { name: string }>(entry: T, condition?: unknown): T {
  const free = not(hasKey(userEnvMap, entry.name));
  return when(condition === undefined ? free : and(condition as boolean, free), entry);
}

function env(): unknown[] {
  const userEnv = P.env as unknown as Record<string, string>;
  return [
    unlessInPilotEnv({ name: 'REVISION', value: revisionOrDefault }),
    unlessInPilotEnv({ name: 'PILOT_CERT_PROVIDER', value: V.global.pilotCertProvider }),
    unlessInPilotEnv({ name: 'POD_NAME', valueFrom: fieldRef('metadata.name') }),
    unlessInPilotEnv({ name: 'POD_NAMESPACE', valueFrom: fieldRef('metadata.namespace') }),
    unlessInPilotEnv({ name: 'SERVICE_ACCOUNT', valueFrom: fieldRef('spec.serviceAccountName') }),
    unlessInPilotEnv({ name: 'KUBECONFIG', value: '/var/run/secrets/remote/config' }),
    comment("ztunnel's identity, trusted to request certificates for the pods of its node", unlessInPilotEnv({
      name: 'CA_TRUSTED_NODE_ACCOUNTS',
      value: `${withDefault(P.trustedZtunnelNamespace, Release.namespace)}/${withDefault(P.trustedZtunnelName, 'ztunnel')}`,
    })),
    rangeMap(userEnv, (name, value) => ({ name, value: str(value) })),
    unlessInPilotEnv({ name: 'GODEBUG', value: 'fips140=only' }, eq(withDefault(pilotEnv('COMPLIANCE_POLICY'), ''), 'fips-140-3')),
    toYaml(P.envVarFrom),
    unlessInPilotEnv({ name: 'PILOT_TRACE_SAMPLING', value: str(P.traceSampling) }, P.traceSampling),
    when(P.taint.enabled, [
      unlessInPilotEnv({ name: 'PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS', value: 'true' }),
      unlessInPilotEnv({ name: 'PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME', value: P.taint.name }),
    ]),
    unlessInPilotEnv({ name: 'EXTERNAL_ISTIOD', value: str(V.global.externalIstiod) }, V.global.externalIstiod),
    unlessInPilotEnv({ name: 'PILOT_CA_CERT_CONFIGMAP', value: V.global.trustBundleName }, V.global.trustBundleName),
    unlessInPilotEnv({ name: 'PILOT_CRL_CONFIGMAP', value: P.crlConfigMapName }, P.crlConfigMapName),
    unlessInPilotEnv({ name: 'PILOT_ENABLE_ANALYSIS', value: str(V.global.istiod.enableAnalysis) }),
    unlessInPilotEnv({ name: 'CLUSTER_ID', value: withDefault(V.global.multiCluster.clusterName, 'Kubernetes') }),
    unlessInPilotEnv({ name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } }),
    unlessInPilotEnv({ name: 'PLATFORM', value: withDefault(coalesce(V.global.platform, V.platform), '') }),
  ];
}

function volumes(): unknown[] {
  const trustBundle = withDefault(V.global.trustBundleName, 'istio-ca-root-cert');
  return [
    { name: 'local-certs', emptyDir: { medium: 'Memory' } },
    {
      name: 'istio-token',
      projected: { sources: [{ serviceAccountToken: { audience: V.global.sds.token.aud, expirationSeconds: 43200, path: 'istio-token' } }] },
    },
    comment('an operator-provided root CA, when present', { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } }),
    comment('credentials for a remote config cluster, when present', { name: 'istio-kubeconfig', secret: { secretName: 'istio-kubeconfig', optional: true } }),
    comment('istiod serving certificate issued by istio-csr, when present', { name: 'istio-csr-dns-cert', secret: { secretName: 'istiod-tls', optional: true } }),
    {
      name: 'istio-csr-ca-configmap',
      ...spread(
        when(
          eq(pilotEnv('ENABLE_CLUSTER_TRUST_BUNDLE_API'), true),
          {
            projected: {
              sources: [
                {
                  clusterTrustBundle: {
                    name: `istio.io:istiod-ca:${withDefault(V.global.trustBundleName, 'root-cert')}`,
                    path: 'root-cert.pem',
                    optional: true,
                  },
                },
              ],
            },
          },
          { configMap: { name: trustBundle, defaultMode: 420, optional: true } },
        ),
      ),
    },
    when(P.jwksResolverExtraRootCA, { name: 'extracacerts', configMap: { name: jwksConfigMapName } }),
    toYaml(P.volumes),
  ];
}

function container(): unknown {
  return {
    name: 'discovery',
    image: str(includeValue('istiod.image')),
    imagePullPolicy: ifSet(V.global.imagePullPolicy),
    terminationMessagePolicy: ifSet(P.terminationMessagePolicy),
    args: [
      'discovery',
      '--monitoringAddr=:15014',
      when(V.global.logging.level, `--log_output_level=${V.global.logging.level}`),
      when(V.global.logAsJson, '--log_as_json'),
      '--domain',
      V.global.proxy.clusterDomain,
      when(P.taint.namespace, `--cniNamespace=${P.taint.namespace}`),
      '--keepaliveMaxServerConnectionAge',
      str(P.keepaliveMaxServerConnectionAge),
      toYaml(P.extraContainerArgs),
    ],
    ports: [
      { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
      { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
      { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
      { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
      { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
    ],
    readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
    env: env(),
    resources: when(P.resources, include('istiod.resources', P.resources), include('istiod.resources', V.global.defaultResources)),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: toYaml(P.seccompProfile),
    },
    volumeMounts: [
      { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
      { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
      { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
      { name: 'istio-kubeconfig', mountPath: '/var/run/secrets/remote', readOnly: true },
      when(P.jwksResolverExtraRootCA, { name: 'extracacerts', mountPath: '/cacerts' }),
      { name: 'istio-csr-dns-cert', mountPath: '/var/run/secrets/istiod/tls', readOnly: true },
      { name: 'istio-csr-ca-configmap', mountPath: '/var/run/secrets/istiod/ca', readOnly: true },
      toYaml(P.volumeMounts),
    ],
  };
}

export class IstiodDeployment extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'deployment', { condition: and(namespaced, runsIstiod) });
    const labelRange = (map: unknown) => spread(rangeMap(map, (k, v) => ({ [k]: str(v) })));
    new HelmObject(this, 'istiod', {
      gvk: k8s.GVK.Deployment,
      metadata: {
        name: istiodName,
        namespace: Release.namespace,
        labels: { ...pilotLabels({ app: 'istiod', istio: 'pilot' }), ...labelRange(P.deploymentLabels) },
        annotations: toYaml(P.deploymentAnnotations),
      },
      body: {
        spec: {
          replicas: when(and(not(P.autoscaleEnabled), P.replicaCount), P.replicaCount),
          strategy: { rollingUpdate: { maxSurge: raw(P.rollingMaxSurge), maxUnavailable: raw(P.rollingMaxUnavailable) } },
          selector: { matchLabels: when(V.revision, { app: 'istiod', 'istio.io/rev': V.revision }, { istio: 'pilot' }) },
          template: {
            metadata: {
              labels: {
                ...pilotLabels({
                  app: 'istiod',
                  'sidecar.istio.io/inject': 'false',
                  istio: ternary('istiod', 'pilot', ne(V.revision, '')),
                  'istio.io/dataplane-mode': 'none',
                }, { release: false }),
                ...labelRange(P.podLabels),
              },
              annotations: {
                'prometheus.io/port': '15014',
                'prometheus.io/scrape': 'true',
                'sidecar.istio.io/inject': 'false',
                ...spread(toYaml(P.podAnnotations)),
              },
            },
            spec: {
              nodeSelector: toYaml(P.nodeSelector),
              affinity: toYaml(P.affinity),
              tolerations: [
                comment('istiod must run before the CNI agent marks nodes ready', { key: 'cni.istio.io/not-ready', operator: 'Exists' }),
                toYaml(P.tolerations),
              ],
              topologySpreadConstraints: toYaml(P.topologySpreadConstraints),
              serviceAccountName: istiodName,
              priorityClassName: ifSet(V.global.priorityClassName),
              initContainers: toYaml(P.initContainers),
              containers: [container()],
              volumes: volumes(),
            },
          },
        },
      },
    });
  }
}
