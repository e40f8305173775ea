/**
 * The gateway workload, a Deployment or a DaemonSet (`kind`): one `istio-proxy` container with
 * `image: auto`, which istiod's injector completes with its `gateway` template (image, args,
 * env, volumes, probe) because the pod's labels and podAnnotations ask for that template.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import {
  HelmObject, Release, and, comment, ifSet, include, isSet, not, onlyIf, rangeMap, raw, str, ternary, toYaml, when,
} from '../../../helm';
import { V } from '../../../values/gateway';
import { gatewayName, isDeployment, objectLabels, selectorLabels, serviceAccountName, GatewayTemplate } from '../names';

/** Without a securityContext of the user's: the least a proxy needs. */
const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  capabilities: { drop: ['ALL'] },
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

/**
 * Without a pod securityContext of the user's: the sysctl lets the non-root proxy bind 80 and
 * 443 (namespaced, and allowed by Pod Security since Kubernetes 1.22), and the runtime's
 * default seccomp profile is what Pod Security `restricted` asks for (upstream sets none).
 */
const POD_DEFAULTS: k8s.PodSecurityContext = {
  sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
  seccompProfile: { type: 'RuntimeDefault' },
};

function container(): k8s.Container {
  const userEnv = V.env as unknown as Record<string, string>;
  return {
    name: 'istio-proxy',
    image: comment('the injector replaces it with the proxy image of the istiod revision that injects the pod', 'auto'),
    imagePullPolicy: ifSet(V.imagePullPolicy),
    securityContext: when(V.containerSecurityContext, toYaml(V.containerSecurityContext, { always: true }), RESTRICTED_CONTAINER),
    env: [
      comment('a network gateway only needs the endpoints of its own network', when(V.networkGateway, { name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: V.networkGateway })),
      rangeMap(userEnv, (name, value) => ({ name, value: str(value) })),
      toYaml(V.envVarFrom),
    ],
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    resources: include('gateway.resources', V.resources),
    volumeMounts: toYaml(V.volumeMounts),
    readinessProbe: toYaml(V.readinessProbe),
    lifecycle: toYaml(V.lifecycle),
  };
}

function podSpec(): k8s.PodSpec {
  return {
    imagePullSecrets: when(V.imagePullSecrets, include('gateway.imagePullSecrets')),
    serviceAccountName,
    securityContext: when(V.securityContext, toYaml(V.securityContext, { always: true }), POD_DEFAULTS),
    volumes: toYaml(V.volumes),
    initContainers: toYaml(V.initContainers),
    containers: [container(), toYaml(V.additionalContainers)],
    nodeSelector: toYaml(V.nodeSelector),
    affinity: toYaml(V.affinity),
    tolerations: toYaml(V.tolerations),
    topologySpreadConstraints: toYaml(V.topologySpreadConstraints),
    dnsPolicy: ifSet(V.dnsPolicy),
    dnsConfig: toYaml(V.dnsConfig),
    terminationGracePeriodSeconds: V.terminationGracePeriodSeconds,
    priorityClassName: ifSet(V.priorityClassName),
  };
}

export class GatewayDeployment extends GatewayTemplate {
  constructor(scope: Construct) {
    super(scope, 'deployment');
    const template: k8s.PodTemplateSpec = {
      metadata: {
        annotations: toYaml(V.podAnnotations),
        labels: {
          ...comment('opt in to injection, by the given revision when there is one'),
          'sidecar.istio.io/inject': 'true',
          ...onlyIf(V.revision, { 'istio.io/rev': V.revision }),
          ...objectLabels(),
          ...onlyIf(V.networkGateway, { 'topology.istio.io/network': V.networkGateway }),
        },
      },
      spec: podSpec(),
    };
    new HelmObject(this, 'gateway', {
      gvk: { apiVersion: 'apps/v1', kind: V.kind },
      metadata: {
        name: gatewayName,
        namespace: Release.namespace,
        labels: objectLabels(),
        annotations: toYaml(V.annotations, { always: true }),
      },
      body: {
        spec: {
          replicas: comment(
            'a DaemonSet has no replicas; with autoscaling the HPA owns them',
            when(and(isDeployment, not(V.autoscaling.enabled), isSet(V.replicaCount)), V.replicaCount),
          ),
          ...comment('the same settings are spec.strategy of a Deployment and spec.updateStrategy of a DaemonSet'),
          [raw(ternary('strategy', 'updateStrategy', isDeployment))]: toYaml(V.strategy),
          minReadySeconds: ifSet(V.minReadySeconds),
          selector: { matchLabels: selectorLabels() },
          template,
        },
      },
    });
  }
}
