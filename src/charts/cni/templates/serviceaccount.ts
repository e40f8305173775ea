/** The ServiceAccount the node agent runs as, bound to the agent's ClusterRoles. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, rangeList, when } from '../../../helm';
import { V } from '../../../values/cni';
import { CNI_NAME, CniTemplate, appLabels, namespaced } from '../names';

export class CniServiceAccount extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'serviceaccount', { condition: namespaced });
    new HelmObject(this, 'agent', {
      gvk: k8s.GVK.ServiceAccount,
      metadata: { name: CNI_NAME, namespace: Release.namespace, labels: appLabels() },
      body: { imagePullSecrets: when(V.global.imagePullSecrets, [rangeList(V.global.imagePullSecrets, (name) => ({ name }))]) },
    });
  }
}
