/**
 * The ResourceQuota spec both node agents (cni, ztunnel) install with resourceQuotas.enabled:
 * GKE admits pods of priority class system-node-critical outside kube-system only in a
 * namespace whose quota covers that class.
 */
import * as k8s from '../../helm/kube';
import { str } from '../../helm';

export function nodeCriticalQuota(pods: unknown): k8s.ResourceQuotaSpec {
  return {
    hard: { pods: str(pods) },
    scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }] },
  };
}
