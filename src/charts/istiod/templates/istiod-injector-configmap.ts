/**
 * ConfigMap `istio-sidecar-injector[-rev]`, which istiod reads at start-up to inject pods:
 * `config` (policy, selectors, injected annotations, default and named templates) and `values`
 * (the part of the chart values the templates read, as JSON).
 * The templates themselves ship as chart files (files/injection/<name>.yaml) and are read with
 * .Files.Get: they are Go templates istiod executes, so Helm must not interpret them.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, includeText, not } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, IstiodTemplate, injectorConfigMapName } from '../names';

export class InjectorConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'istiod-injector-configmap', { condition: and(namespaced, not(V.global.omitSidecarInjectorConfigMap)) });
    new HelmObject(this, 'injector', {
      gvk: k8s.GVK.ConfigMap,
      metadata: { name: injectorConfigMapName, namespace: Release.namespace, labels: pilotLabels() },
      body: { data: { values: includeText('istiod.injectorValues'), config: includeText('istiod.injectorConfig') } },
    });
  }
}
