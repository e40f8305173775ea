/**
 * ConfigMap `istio[-rev]`: the MeshConfig istiod watches (key `mesh`) and the mesh networks
 * (key `meshNetworks`). `meshConfig` values are merged over the defaults the chart derives
 * from other values (trust domain, root namespace, default metrics providers, tracer,
 * discovery address), so meshConfig is the API and those values are shortcuts.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, includeText } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, IstiodTemplate, meshConfigMapName } from '../names';

export class MeshConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'configmap', { condition: and(namespaced, V.pilot.configMap) });
    const data: Record<string, string> = {
      meshNetworks: includeText('istiod.meshNetworks'),
      mesh: includeText('istiod.mesh'),
    };
    new HelmObject(this, 'istio', {
      gvk: k8s.GVK.ConfigMap,
      metadata: { name: meshConfigMapName, namespace: Release.namespace, labels: pilotLabels() },
      body: { data },
    });
  }
}
