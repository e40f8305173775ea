/** ConfigMap `pilot-jwks-extra-cacerts[-rev]` (jwksResolverExtraRootCA): extra roots istiod trusts when fetching JWKS. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, runsIstiod, IstiodTemplate, jwksConfigMapName } from '../names';

export class JwksExtraRootsConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'configmap-jwks', { condition: and(namespaced, runsIstiod) });
    new HelmObject(this, 'jwks', {
      gvk: k8s.GVK.ConfigMap,
      condition: V.pilot.jwksResolverExtraRootCA,
      metadata: { name: jwksConfigMapName, namespace: Release.namespace, labels: pilotLabels() },
      body: { data: { 'extra.pem': V.pilot.jwksResolverExtraRootCA } },
    });
  }
}

