/**
 * The optional ConfigMaps: extra roots istiod trusts when fetching JWKS, and per-GatewayClass
 * defaults for the Deployments istiod creates for Gateway API gateways.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, Release, TemplateFile, and, expr, exprOf, hole, rangeMap, spread, str, withDefault } from '../../helm';
import { V } from '../../values/istiod';
import { PRELUDE, namespaced, pilotLabels, revisioned, runsIstiod } from './names';

export class JwksExtraRootsConfigMap extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'configmap-jwks', { prelude: PRELUDE, condition: and(namespaced, runsIstiod) });
    new HelmObject(this, 'jwks', {
      gvk: k8s.KubeConfigMap.GVK,
      condition: V.pilot.jwksResolverExtraRootCA,
      metadata: { name: revisioned('pilot-jwks-extra-cacerts'), namespace: Release.namespace, labels: pilotLabels() },
      body: { data: { 'extra.pem': V.pilot.jwksResolverExtraRootCA } },
    });
  }
}

export class GatewayClassConfigMaps extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'gateway-class-configmap', { prelude: PRELUDE, condition: namespaced });
    const className = hole('$class');
    new HelmObject(this, 'gatewayclass', {
      gvk: k8s.KubeConfigMap.GVK,
      loop: { over: V.gatewayClasses, variables: '$class, $overlays' },
      metadata: {
        name: `istio-${withDefault(V.revision, 'default')}-gatewayclass-${className}`,
        namespace: Release.namespace,
        labels: pilotLabels({ 'gateway.istio.io/defaults-for-class': str(className) }),
      },
      // one key per kind (deployment, service, ...), each an overlay as YAML text ending in a newline
      body: { data: { ...spread(rangeMap(hole('$overlays'), (kind, overlay) => ({ [kind]: expr(`printf "%s\\n" (toYaml ${exprOf(overlay)})`) }))) } },
    });
  }
}
