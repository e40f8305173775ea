/**
 * Scaling and disruption: the HorizontalPodAutoscaler (when autoscaling with bounds) and the
 * PodDisruptionBudget (only when more than one replica is guaranteed; a budget of one replica
 * would block node drains).
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, Release, TemplateFile, and, comment, expr, gt, hasKey, ifSet, not, or, raw, toYaml, when } from '../../helm';
import { V } from '../../values/istiod';
import { PRELUDE, istiodName, namespaced, pilotLabels, runsIstiod, revisionSelector } from './names';

const P = V.pilot;

const utilization = (name: string, averageUtilization: number) => ({
  type: 'Resource',
  resource: { name, target: { type: 'Utilization', averageUtilization } },
});

export class IstiodAutoscaler extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'autoscale', { prelude: PRELUDE, condition: and(namespaced, runsIstiod) });
    new HelmObject(this, 'hpa', {
      gvk: k8s.KubeHorizontalPodAutoscalerV2.GVK,
      condition: and(P.autoscaleEnabled, P.autoscaleMin, P.autoscaleMax),
      metadata: { name: istiodName, namespace: Release.namespace, labels: pilotLabels({ app: 'istiod' }) },
      body: {
        spec: {
          maxReplicas: P.autoscaleMax,
          minReplicas: P.autoscaleMin,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: istiodName },
          metrics: [
            utilization('cpu', P.cpu.targetAverageUtilization),
            when(expr('(.Values.pilot.memory).targetAverageUtilization'), utilization('memory', expr<number>('.Values.pilot.memory.targetAverageUtilization', 'raw'))),
          ],
          behavior: toYaml(P.autoscaleBehavior),
        },
      },
    });
  }
}

export class IstiodDisruptionBudget extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'poddisruptionbudget', { prelude: PRELUDE, condition: and(namespaced, runsIstiod) });
    const moreThanOne = or(
      and(P.autoscaleEnabled, gt(expr<number>('int .Values.pilot.autoscaleMin', 'raw'), 1)),
      and(not(P.autoscaleEnabled), gt(expr<number>('int .Values.pilot.replicaCount', 'raw'), 1)),
    );
    const pdb = V.pdb;
    new HelmObject(this, 'pdb', {
      gvk: k8s.KubePodDisruptionBudget.GVK,
      condition: and(V.global.defaultPodDisruptionBudget.enabled, moreThanOne),
      metadata: { name: istiodName, namespace: Release.namespace, labels: pilotLabels({ app: 'istiod', istio: 'pilot' }) },
      body: {
        spec: {
          ...comment('maxUnavailable, when given, replaces the minAvailable default'),
          minAvailable: when(and(pdb.minAvailable, not(hasKey(pdb, 'maxUnavailable'))), raw(pdb.minAvailable), undefined),
          maxUnavailable: when(and(hasKey(pdb, 'maxUnavailable'), expr('.Values.pdb.maxUnavailable')), expr('.Values.pdb.maxUnavailable', 'raw')),
          unhealthyPodEvictionPolicy: ifSet(pdb.unhealthyPodEvictionPolicy),
          selector: { matchLabels: { app: 'istiod', ...revisionSelector } },
        },
      },
    });
  }
}
