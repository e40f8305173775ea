/** The istiod HorizontalPodAutoscaler, when autoscaling with bounds (CPU, and memory when set). */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, nilSafe, toYaml, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName, namespaced, pilotLabels, runsIstiod, IstiodTemplate } from '../names';

const P = V.pilot;

const utilization = (name: string, averageUtilization: number) => ({
  type: 'Resource',
  resource: { name, target: { type: 'Utilization', averageUtilization } },
});

export class IstiodAutoscaler extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'autoscale', { condition: and(namespaced, runsIstiod) });
    new HelmObject(this, 'hpa', {
      gvk: k8s.GVK.HorizontalPodAutoscaler,
      condition: and(P.autoscaleEnabled, P.autoscaleMin, P.autoscaleMax),
      metadata: { name: istiodName, namespace: Release.namespace, labels: pilotLabels({ app: 'istiod' }) },
      body: {
        spec: {
          maxReplicas: P.autoscaleMax,
          minReplicas: P.autoscaleMin,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: istiodName },
          metrics: [
            utilization('cpu', P.cpu.targetAverageUtilization),
            // a user may set pilot.memory to null
            when(nilSafe(P.memory.targetAverageUtilization), utilization('memory', P.memory.targetAverageUtilization)),
          ],
          behavior: toYaml(P.autoscaleBehavior),
        },
      },
    });
  }
}

