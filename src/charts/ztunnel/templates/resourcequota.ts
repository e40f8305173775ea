/** ResourceQuota (resourceQuotas.enabled, platform=gke): GKE admits system-node-critical pods only under one. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, str } from '../../../helm';
import { V } from '../../../values/ztunnel';
import { namespacedInScope, objectLabels, ztunnelName, ZtunnelTemplate } from '../names';

export class ZtunnelResourceQuota extends ZtunnelTemplate {
  constructor(scope: Construct) {
    super(scope, 'resourcequota', { condition: and(namespacedInScope, V.resourceQuotas.enabled) });
    const spec: k8s.ResourceQuotaSpec = {
      hard: { pods: str(V.resourceQuotas.pods) },
      scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }] },
    };
    new HelmObject(this, 'ztunnel', {
      gvk: k8s.GVK.ResourceQuota,
      metadata: { name: ztunnelName, namespace: Release.namespace, labels: objectLabels() },
      body: { spec },
    });
  }
}
