/** NetworkPolicy `<name>[-<revision>]` (global.networkPolicy.enabled): the ports ztunnel serves; any egress. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment, include, ne, nilSafe, spread, ternary, withDefault } from '../../../helm';
import { V } from '../../../values/ztunnel';
import { namespacedInScope, ztunnelName, ZtunnelTemplate } from '../names';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port });

const INGRESS: k8s.NetworkPolicyIngressRule[] = [
  comment('readiness probe', { ports: [tcp(15021)] }),
  comment('Prometheus metrics', { ports: [tcp(15020)] }),
  comment('admin interface', { ports: [tcp(15000)] }),
  comment('HBONE (mTLS tunnels from other nodes)', { ports: [tcp(15008)] }),
  comment('outbound traffic redirected from the node\'s pods', { ports: [tcp(15001)] }),
  comment('plaintext inbound traffic', { ports: [tcp(15006)] }),
  comment('captured DNS', { ports: [tcp(15053), { protocol: 'UDP', port: 15053 }] }),
];

export class ZtunnelNetworkPolicy extends ZtunnelTemplate {
  constructor(scope: Construct) {
    // namespaced, so left out under resourceScope=cluster (upstream renders it under every scope)
    super(scope, 'networkpolicy', { condition: and(nilSafe(V.global.networkPolicy.enabled), namespacedInScope) });
    const spec: k8s.NetworkPolicySpec = {
      podSelector: { matchLabels: { app: 'ztunnel' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: INGRESS,
      egress: comment('one empty rule: every destination', [{}]),
    };
    new HelmObject(this, 'ztunnel', {
      gvk: k8s.GVK.NetworkPolicy,
      metadata: {
        ...comment('per revision, so a canary revision\'s ztunnel gets its own policy'),
        name: ternary(`${ztunnelName}-${V.revision}`, ztunnelName, ne(V.revision, '')),
        namespace: Release.namespace,
        labels: {
          app: 'ztunnel',
          'app.kubernetes.io/name': 'ztunnel',
          'istio.io/rev': withDefault(V.revision, 'default'),
          'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
          'operator.istio.io/component': 'Ztunnel',
          release: Release.name,
          ...spread(include('ztunnel.labels')),
        },
      },
      body: { spec },
    });
  }
}
