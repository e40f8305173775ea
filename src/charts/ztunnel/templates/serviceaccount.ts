/** The ServiceAccount istiod's CA_TRUSTED_NODE_ACCOUNTS must name (default <istiod namespace>/ztunnel). */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, include, when } from '../../../helm';
import { V } from '../../../values/ztunnel';
import { namespacedInScope, objectAnnotations, objectLabels, ztunnelName, ZtunnelTemplate } from '../names';

export class ZtunnelServiceAccount extends ZtunnelTemplate {
  constructor(scope: Construct) {
    super(scope, 'serviceaccount', { condition: namespacedInScope });
    new HelmObject(this, 'ztunnel', {
      gvk: k8s.GVK.ServiceAccount,
      metadata: { name: ztunnelName, namespace: Release.namespace, labels: objectLabels(), annotations: objectAnnotations() },
      body: { imagePullSecrets: when(V.imagePullSecrets, include('ztunnel.imagePullSecrets')) },
    });
  }
}
