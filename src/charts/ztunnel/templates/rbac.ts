/** On OpenShift only: the ztunnel ServiceAccount may use the privileged SecurityContextConstraints. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, eq, include, spread, withDefault } from '../../../helm';
import { V } from '../../../values/ztunnel';
import { clusterInScope, objectAnnotations, ztunnelName, ZtunnelTemplate } from '../names';

const USE_PRIVILEGED_SCC: k8s.PolicyRule[] = [
  { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], resourceNames: ['privileged'], verbs: ['use'] },
];

export class ZtunnelRbac extends ZtunnelTemplate {
  constructor(scope: Construct) {
    super(scope, 'rbac', { condition: and(clusterInScope, eq(withDefault(V.platform, ''), 'openshift')) });
    const metadata = () => ({
      name: ztunnelName,
      labels: {
        app: 'ztunnel',
        release: ztunnelName,
        'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
        'app.kubernetes.io/name': 'ztunnel',
        ...spread(include('ztunnel.labels')),
      },
      annotations: objectAnnotations(),
    });
    new HelmObject(this, 'role', { gvk: k8s.GVK.ClusterRole, metadata: metadata(), body: { rules: USE_PRIVILEGED_SCC } });
    const roleRef: k8s.RoleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ztunnelName };
    const subjects: k8s.Subject[] = [{ kind: 'ServiceAccount', name: ztunnelName, namespace: Release.namespace }];
    new HelmObject(this, 'binding', { gvk: k8s.GVK.ClusterRoleBinding, metadata: metadata(), body: { roleRef, subjects } });
  }
}
