/**
 * NetworkPolicy `<name>[-<revision>]` (global.networkPolicy.enabled): in a namespace that denies
 * by default, admits the status port (load balancer health checks), the metrics ports and every
 * port the Service forwards to; the gateway may reach anything (istiod, backends, external hosts).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import {
  HelmObject, Release, comment, exprOf, fromYamlArray, hole, includeValue, nilSafe, rangeList, raw, withDefault,
} from '../../../helm';
import { V } from '../../../values/gateway';
import { networkPolicyName, objectLabels, selectorLabels, GatewayTemplate } from '../names';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port });

/** 15021: readiness and load balancer health checks. */
const STATUS: k8s.NetworkPolicyIngressRule = { ports: [tcp(15021)] };
/** 15020 (merged metrics of the agent) and 15090 (Envoy's own) for Prometheus. */
const METRICS: k8s.NetworkPolicyIngressRule = { ports: [tcp(15020), tcp(15090)] };

/** One rule per Service port, admitting the pod port it forwards to. */
const servicePorts = rangeList(fromYamlArray(includeValue('gateway.servicePorts')), (p): k8s.NetworkPolicyIngressRule => {
  const field = (name: string) => hole(`${exprOf(p)}.${name}`, 'raw');
  return {
    ports: [{ protocol: withDefault(field('protocol'), 'TCP'), port: raw(withDefault(field('targetPort'), field('port'))) }],
  };
});

export class GatewayNetworkPolicy extends GatewayTemplate {
  constructor(scope: Construct) {
    super(scope, 'networkpolicy', { condition: nilSafe(V.global.networkPolicy.enabled) });
    const spec: k8s.NetworkPolicySpec = {
      podSelector: { matchLabels: selectorLabels() as Record<string, string> },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [STATUS, METRICS, servicePorts],
      egress: comment('one empty rule: every destination', [{}]),
    };
    new HelmObject(this, 'gateway', {
      gvk: k8s.GVK.NetworkPolicy,
      metadata: {
        ...comment('per revision, so the gateways of a canary revision get their own policy'),
        name: networkPolicyName,
        namespace: Release.namespace,
        labels: objectLabels({
          'istio.io/rev': withDefault(V.revision, 'default'),
          'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
          'operator.istio.io/component': 'Gateway',
          release: Release.name,
        }),
      },
      body: { spec },
    });
  }
}
