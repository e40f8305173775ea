/**
 * NetworkPolicy (global.networkPolicy.enabled): the agent's pods admit Prometheus on the
 * metrics port and the kubelet's readiness probe; egress stays open (the API server's address
 * and port differ between distributions).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, comment, ne, nilSafe, ternary } from '../../../helm';
import { V } from '../../../values/cni';
import { CNI_NAME, NODE_NAME, CniTemplate, ownerLabels } from '../names';

const tcp = (port: number): k8s.NetworkPolicyIngressRule => ({ ports: [{ protocol: 'TCP', port }] });

export class CniNetworkPolicy extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'networkpolicy', { condition: nilSafe(V.global.networkPolicy.enabled) });
    const spec: k8s.NetworkPolicySpec = {
      podSelector: { matchLabels: { 'k8s-app': NODE_NAME } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [comment('metrics, for Prometheus', tcp(15014)), comment('the readiness probe', tcp(8000))],
      egress: comment('one empty rule: every destination', [{}]),
    };
    new HelmObject(this, 'agent', {
      gvk: k8s.GVK.NetworkPolicy,
      metadata: {
        ...comment('per revision, so two revisions\' agents keep their own policies'),
        name: ternary(`${CNI_NAME}-${V.revision}`, CNI_NAME, ne(V.revision, '')),
        namespace: Release.namespace,
        labels: ownerLabels({ 'k8s-app': NODE_NAME }),
      },
      body: { spec },
    });
  }
}
