/**
 * NetworkPolicy `istiod[-rev]` (global.networkPolicy.enabled): in a namespace that denies by
 * default, lets in what istiod serves (webhooks from the apiserver, xDS and CA from proxies
 * anywhere, debug and monitoring) and lets istiod reach anything (JWKS, remote clusters, ...).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment } from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName, namespaced, pilotLabels, revisionOrDefault, IstiodTemplate } from '../names';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: port });

/** Webhook calls come from the apiserver, whose address is not known in advance. */
const WEBHOOK_INGRESS: k8s.NetworkPolicyIngressRule = { ports: [tcp(15017)] };
/** xDS (plain and mTLS), the CA, debug and monitoring: proxies may run anywhere in the mesh. */
const MESH_INGRESS: k8s.NetworkPolicyIngressRule = { ports: [15010, 15011, 15012, 8080, 15014].map(tcp) };

export class IstiodNetworkPolicy extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'networkpolicy', { condition: and(namespaced, V.global.networkPolicy.enabled) });
    const spec: k8s.NetworkPolicySpec = {
      podSelector: { matchLabels: { app: 'istiod', 'istio.io/rev': revisionOrDefault } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [WEBHOOK_INGRESS, MESH_INGRESS],
      egress: comment('one empty rule: every destination', [{}]),
    };
    new HelmObject(this, 'istiod', {
      gvk: k8s.GVK.NetworkPolicy,
      metadata: { name: istiodName, namespace: Release.namespace, labels: pilotLabels({ app: 'istiod', istio: 'pilot' }) },
      body: { spec },
    });
  }
}
