/**
 * The Multus NetworkAttachmentDefinition (provider=multus): pods that name it in their
 * k8s.v1.cni.cncf.io/networks annotation get the istio-cni plugin run by Multus. It has no
 * config of its own: Multus reads the plugin's file from its configuration directory (cniConfDir).
 * It sits in the default namespace, where istiod's injector points pods at it.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, and, eq } from '../../../helm';
import { V } from '../../../values/cni';
import { CNI_NAME, CniTemplate, namespaced, standardLabels } from '../names';

export class CniNetworkAttachmentDefinition extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'network-attachment-definition', { condition: and(namespaced, eq(V.provider, 'multus')) });
    new HelmObject(this, 'multus', {
      gvk: k8s.GVK.NetworkAttachmentDefinition,
      metadata: { name: CNI_NAME, namespace: 'default', labels: standardLabels({ 'operator.istio.io/component': 'Cni' }) },
    });
  }
}
