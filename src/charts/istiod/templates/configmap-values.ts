/**
 * ConfigMap `values[-rev]`: the values this release was rendered with, for debugging and for
 * tools (istioctl reads it). Changing it changes nothing.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, includeText } from '../../../helm';
import { namespaced, pilotLabels, IstiodTemplate, valuesConfigMapName } from '../names';

export class ValuesConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'configmap-values', { condition: namespaced });
    new HelmObject(this, 'values', {
      gvk: k8s.GVK.ConfigMap,
      metadata: {
        name: valuesConfigMapName,
        namespace: Release.namespace,
        annotations: { 'kubernetes.io/description': 'Helm values this istiod release was rendered with; for debugging and tools, editing it has no effect.' },
        labels: pilotLabels(),
      },
      body: { data: { 'merged-values': includeText('istiod.mergedValues') } },
    });
  }
}
