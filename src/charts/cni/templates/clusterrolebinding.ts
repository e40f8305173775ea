/** The agent's ClusterRoles (clusterrole.ts) bound to its ServiceAccount in the release namespace. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, str } from '../../../helm';
import { V } from '../../../values/cni';
import { CNI_NAME, CniTemplate, appLabels, clusterScoped, ownerLabels } from '../names';

const subjects = (): k8s.Subject[] => [{ kind: 'ServiceAccount', name: CNI_NAME, namespace: str(Release.namespace) }];
const roleRef = (name: string): k8s.RoleRef => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
/** The repair and ambient bindings carry upstream's k8s-app label instead of app. */
const repairLabels = () => ownerLabels({ 'k8s-app': `${CNI_NAME}-repair` });

export class CniClusterRoleBinding extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'clusterrolebinding', { condition: clusterScoped });
    new HelmObject(this, 'main', {
      gvk: k8s.GVK.ClusterRoleBinding,
      metadata: { name: CNI_NAME, labels: appLabels() },
      body: { roleRef: roleRef(CNI_NAME), subjects: subjects() },
    });
    new HelmObject(this, 'repair', {
      gvk: k8s.GVK.ClusterRoleBinding,
      condition: V.repair.enabled,
      metadata: { name: `${CNI_NAME}-repair-rolebinding`, labels: repairLabels() },
      body: { subjects: subjects(), roleRef: roleRef(`${CNI_NAME}-repair-role`) },
    });
    new HelmObject(this, 'ambient', {
      gvk: k8s.GVK.ClusterRoleBinding,
      condition: V.ambient.enabled,
      metadata: { name: `${CNI_NAME}-ambient`, labels: repairLabels() },
      body: { subjects: subjects(), roleRef: roleRef(`${CNI_NAME}-ambient`) },
    });
  }
}
