/** The gateway ServiceAccount (serviceAccount.create); its name is also the proxy's SPIFFE identity. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, toYaml } from '../../../helm';
import { V } from '../../../values/gateway';
import { objectLabels, serviceAccountName, GatewayTemplate } from '../names';

export class GatewayServiceAccount extends GatewayTemplate {
  constructor(scope: Construct) {
    super(scope, 'serviceaccount', { condition: V.serviceAccount.create });
    new HelmObject(this, 'gateway', {
      gvk: k8s.GVK.ServiceAccount,
      metadata: {
        name: serviceAccountName,
        namespace: Release.namespace,
        labels: objectLabels(),
        annotations: toYaml(V.serviceAccount.annotations),
      },
    });
  }
}
