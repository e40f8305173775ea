/**
 * The istiod PodDisruptionBudget, only when more than one replica is guaranteed
 * (a budget over a single replica would block node drains).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment, gt, hasKey, ifSet, int, not, or, raw, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName, namespaced, pilotLabels, runsIstiod, revisionSelector, IstiodTemplate } from '../names';

const P = V.pilot;

export class IstiodDisruptionBudget extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'poddisruptionbudget', { condition: and(namespaced, runsIstiod) });
    const moreThanOne = or(
      and(P.autoscaleEnabled, gt(int(P.autoscaleMin), 1)),
      and(not(P.autoscaleEnabled), gt(int(P.replicaCount), 1)),
    );
    const pdb = V.pdb;
    new HelmObject(this, 'pdb', {
      gvk: k8s.GVK.PodDisruptionBudget,
      condition: and(V.global.defaultPodDisruptionBudget.enabled, moreThanOne),
      metadata: { name: istiodName, namespace: Release.namespace, labels: pilotLabels({ app: 'istiod', istio: 'pilot' }) },
      body: {
        spec: {
          ...comment('maxUnavailable, when given, replaces the minAvailable default'),
          minAvailable: when(and(pdb.minAvailable, not(hasKey(pdb, 'maxUnavailable'))), raw(pdb.minAvailable), undefined),
          maxUnavailable: when(and(hasKey(pdb, 'maxUnavailable'), pdb.maxUnavailable), pdb.maxUnavailable),
          unhealthyPodEvictionPolicy: ifSet(pdb.unhealthyPodEvictionPolicy),
          selector: { matchLabels: { app: 'istiod', ...revisionSelector } },
        },
      },
    });
  }
}
