/**
 * ConfigMaps `istio-<rev>-gatewayclass-<class>`: per-GatewayClass defaults for the Deployments
 * istiod creates for Gateway API gateways (gatewayClasses).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, expr, exprOf, hole, rangeMap, spread, str } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, IstiodTemplate, gatewayClassConfigMapName } from '../names';

export class GatewayClassConfigMaps extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'gateway-class-configmap', { condition: namespaced });
    const className = hole('$class');
    new HelmObject(this, 'gatewayclass', {
      gvk: k8s.GVK.ConfigMap,
      loop: { over: V.gatewayClasses, variables: '$class, $overlays' },
      metadata: {
        name: gatewayClassConfigMapName(className),
        namespace: Release.namespace,
        labels: pilotLabels({ 'gateway.istio.io/defaults-for-class': str(className) }),
      },
      // one key per kind (deployment, service, ...), each an overlay as YAML text ending in a newline
      body: { data: { ...spread(rangeMap(hole('$overlays'), (kind, overlay) => ({ [kind]: expr(`printf "%s\\n" (toYaml ${exprOf(overlay)})`) }))) } },
    });
  }
}
