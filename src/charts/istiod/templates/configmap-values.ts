/**
 * ConfigMap `values[-rev]`: the values this release was rendered with, for debugging and for
 * tools (istioctl reads it). Changing it changes nothing.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, Release, includeText } from '../../../helm';
import { EFFECTIVE_MARK } from '../../common/values-helpers';
import { namespaced, pilotLabels, IstiodTemplate, valuesConfigMapName } from '../names';

export class ValuesConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'configmap-values', { condition: namespaced });
    new HelmObject(this, 'values', {
      gvk: k8s.KubeConfigMap.GVK,
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

export const VALUES_HELPER = {
  name: 'istiod.mergedValues',
  doc: 'The effective values as JSON.',
  body: `{{- toPrettyJson (omit .Values "${EFFECTIVE_MARK}") }}`,
};
