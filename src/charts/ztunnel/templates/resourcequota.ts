/** ResourceQuota (resourceQuotas.enabled, platform=gke): GKE admits system-node-critical pods only under one. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and } from '../../../helm';
import { nodeCriticalQuota } from '../../common/node-critical-quota';
import { V } from '../../../values/ztunnel';
import { namespacedInScope, objectLabels, ztunnelName, ZtunnelTemplate } from '../names';

export class ZtunnelResourceQuota extends ZtunnelTemplate {
  constructor(scope: Construct) {
    super(scope, 'resourcequota', { condition: and(namespacedInScope, V.resourceQuotas.enabled) });
    new HelmObject(this, 'ztunnel', {
      gvk: k8s.GVK.ResourceQuota,
      metadata: { name: ztunnelName, namespace: Release.namespace, labels: objectLabels() },
      body: { spec: nodeCriticalQuota(V.resourceQuotas.pods) },
    });
  }
}
