/**
 * The ResourceQuota (resourceQuotas.enabled, set by platform=gke): GKE admits pods of priority
 * class system-node-critical outside kube-system only where a quota covers that class.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and } from '../../../helm';
import { nodeCriticalQuota } from '../../common/node-critical-quota';
import { V } from '../../../values/cni';
import { CNI_NAME, CniTemplate, namespaced, standardLabels } from '../names';

export class CniResourceQuota extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'resourcequota', { condition: and(namespaced, V.resourceQuotas.enabled) });
    new HelmObject(this, 'node-critical', {
      gvk: k8s.GVK.ResourceQuota,
      metadata: { name: `${CNI_NAME}-resource-quota`, namespace: Release.namespace, labels: standardLabels() },
      body: { spec: nodeCriticalQuota(V.resourceQuotas.pods) },
    });
  }
}
