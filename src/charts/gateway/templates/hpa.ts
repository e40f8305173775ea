/** The HorizontalPodAutoscaler of a gateway Deployment (1-5 pods at 80% CPU by default). */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, toYaml, when } from '../../../helm';
import { V } from '../../../values/gateway';
import { gatewayName, isDeployment, objectLabels, GatewayTemplate } from '../names';

const A = V.autoscaling;

const utilization = (name: string, averageUtilization: number): k8s.MetricSpec => ({
  type: 'Resource',
  resource: { name, target: { type: 'Utilization', averageUtilization } },
});

export class GatewayAutoscaler extends GatewayTemplate {
  constructor(scope: Construct) {
    // a DaemonSet runs one pod per node: nothing to scale
    super(scope, 'hpa', { condition: and(A.enabled, isDeployment) });
    const spec: k8s.HorizontalPodAutoscalerSpec = {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: gatewayName },
      minReplicas: A.minReplicas,
      maxReplicas: A.maxReplicas,
      metrics: [
        when(A.targetCPUUtilizationPercentage, utilization('cpu', A.targetCPUUtilizationPercentage)),
        when(A.targetMemoryUtilizationPercentage, utilization('memory', A.targetMemoryUtilizationPercentage as number)),
      ],
      behavior: toYaml(A.autoscaleBehavior),
    };
    new HelmObject(this, 'gateway', {
      gvk: k8s.GVK.HorizontalPodAutoscaler,
      metadata: {
        name: gatewayName,
        namespace: Release.namespace,
        labels: objectLabels(),
        annotations: toYaml(V.annotations, { always: true }),
      },
      body: { spec },
    });
  }
}

