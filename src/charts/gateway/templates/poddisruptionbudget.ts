/**
 * The gateway PodDisruptionBudget the user describes, created only when more than one pod is
 * guaranteed (a budget over a single pod would block node drains).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment, expr, gt, not, or, raw, spread, toYaml } from '../../../helm';
import { V } from '../../../values/gateway';
import { gatewayName, objectLabels, selectorLabels, GatewayTemplate } from '../names';

const A = V.autoscaling;

export class GatewayDisruptionBudget extends GatewayTemplate {
  constructor(scope: Construct) {
    const moreThanOne = or(
      and(A.enabled, gt(expr<number>('int .Values.autoscaling.minReplicas', 'raw'), 1)),
      and(not(A.enabled), gt(expr<number>('int .Values.replicaCount', 'raw'), 1)),
    );
    super(scope, 'poddisruptionbudget', { condition: and(raw<boolean>(V.podDisruptionBudget), moreThanOne) });
    new HelmObject(this, 'gateway', {
      gvk: k8s.GVK.PodDisruptionBudget,
      metadata: { name: gatewayName, namespace: Release.namespace, labels: objectLabels() },
      body: {
        spec: {
          selector: { matchLabels: selectorLabels() },
          ...comment('minAvailable or maxUnavailable, and unhealthyPodEvictionPolicy, as given'),
          ...spread(toYaml(V.podDisruptionBudget)),
        },
      },
    });
  }
}
