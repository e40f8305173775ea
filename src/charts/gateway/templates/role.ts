/**
 * Role and RoleBinding (rbac.enabled): the gateway reads TLS Secrets of its own namespace, which
 * is where Istio Gateway resources name their credentialName certificates.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, comment, toYaml } from '../../../helm';
import { V } from '../../../values/gateway';
import { objectLabels, serviceAccountName, GatewayTemplate } from '../names';

const READ_SECRETS: k8s.PolicyRule[] = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }];

export class GatewayRbac extends GatewayTemplate {
  constructor(scope: Construct) {
    super(scope, 'role', { condition: V.rbac.enabled });
    const metadata = () => ({
      name: serviceAccountName,
      namespace: Release.namespace,
      labels: objectLabels(),
      annotations: toYaml(V.annotations, { always: true }),
    });
    new HelmObject(this, 'role', { gvk: k8s.GVK.Role, metadata: metadata(), body: { rules: READ_SECRETS } });
    const roleRef: k8s.RoleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: serviceAccountName };
    const subjects: k8s.Subject[] = [
      comment("no namespace: a RoleBinding's ServiceAccount subject defaults to the binding's namespace", { kind: 'ServiceAccount', name: serviceAccountName }),
    ];
    new HelmObject(this, 'binding', { gvk: k8s.GVK.RoleBinding, metadata: metadata(), body: { roleRef, subjects } });
  }
}
