/**
 * The gateway Service (unless service.type is None): a LoadBalancer on 15021 (status), 80 and
 * 443 by default, or the cross-network ports for a network gateway. Selects the pods by the
 * app/istio labels plus service.selectorLabels.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment, eq, ifSet, include, isSet, mergeOver, ne, onlyIf, spread, toYaml, when } from '../../../helm';
import { V } from '../../../values/gateway';
import { gatewayName, objectLabels, selectorLabels, GatewayTemplate } from '../names';

const S = V.service;


export class GatewayService extends GatewayTemplate {
  constructor(scope: Construct) {
    super(scope, 'service', { condition: ne(S.type, 'None') });
    const isLoadBalancer = eq(S.type, 'LoadBalancer');
    const spec: k8s.ServiceSpec = {
      type: S.type,
      clusterIP: ifSet(S.clusterIP),
      ports: include('gateway.servicePorts'),
      selector: { ...selectorLabels(), ...spread(toYaml(S.selectorLabels)) },
      externalIPs: toYaml(S.externalIPs),
      loadBalancerIP: ifSet(S.loadBalancerIP),
      ...comment('load balancer settings Kubernetes rejects on other types'),
      allocateLoadBalancerNodePorts: when(and(isLoadBalancer, isSet(S.allocateLoadBalancerNodePorts)), S.allocateLoadBalancerNodePorts!),
      loadBalancerClass: when(and(isLoadBalancer, S.loadBalancerClass), S.loadBalancerClass),
      loadBalancerSourceRanges: toYaml(S.loadBalancerSourceRanges),
      ipFamilyPolicy: ifSet(S.ipFamilyPolicy),
      ipFamilies: toYaml(S.ipFamilies),
      externalTrafficPolicy: ifSet(S.externalTrafficPolicy),
      internalTrafficPolicy: ifSet(S.internalTrafficPolicy),
      healthCheckNodePort: ifSet(S.healthCheckNodePort!),
    };
    new HelmObject(this, 'gateway', {
      gvk: k8s.GVK.Service,
      metadata: {
        name: gatewayName,
        namespace: Release.namespace,
        labels: objectLabels(onlyIf(V.networkGateway, { 'topology.istio.io/network': V.networkGateway })),
        ...comment('service.annotations win over the chart-wide annotations'),
        annotations: toYaml(mergeOver(S.annotations, V.annotations), { always: true }),
      },
      body: { spec },
    });
  }
}
