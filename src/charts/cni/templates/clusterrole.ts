/**
 * What the node agent may do across the cluster: read pods, nodes and namespaces (which pods
 * to redirect); with the repair controller, see and act on broken pods (only as much as the
 * chosen repair mode needs); in ambient mode, mark pods as captured and read its own DaemonSet.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { comment, eq, expr, not, when } from '../../../helm';
import { V } from '../../../values/cni';
import { READ, RoleDefinition, ruleSet } from '../../common/rbac';
import { CNI_NAME, NODE_NAME, CniTemplate, appLabels, clusterScoped } from '../names';

const R = V.repair;
const isOpenShift = eq(expr('coalesce .Values.platform (.Values.global | default dict).platform | default ""'), 'openshift');

/** Rules present only when a condition holds (spliced into the list). */
const rulesIf = (condition: unknown, rules: k8s.PolicyRule[]): k8s.PolicyRule => when(condition, rules) as unknown as k8s.PolicyRule;

const WATCH_PODS: k8s.PolicyRule[] = [
  comment('the agent tells from pods, their nodes and namespaces which pods to redirect', { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: READ }),
  rulesIf(isOpenShift, ruleSet('OpenShift admits the privileged agent pod only with the privileged SecurityContextConstraints', [
    { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], resourceNames: ['privileged'], verbs: ['use'] },
  ])),
];

const REPAIR: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['watch', 'get', 'list'] },
  // repairPods fixes the pod from the node and needs nothing more; the other modes act through the API
  rulesIf(not(R.repairPods), [
    when(R.deletePods, { apiGroups: [''], resources: ['pods'], verbs: ['delete'] }, when(R.labelPods, comment('a label through pods/status, the narrower grant', { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] }))),
  ]),
];

const AMBIENT: k8s.PolicyRule[] = [
  comment('the agent marks a captured pod in its status', { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] }),
  { apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: [NODE_NAME], verbs: ['get'] },
];

/** The three roles, each bound to the agent's ServiceAccount in clusterrolebinding.ts. */
export const CNI_ROLES = {
  main: new RoleDefinition({ kind: 'ClusterRole', metadata: { name: CNI_NAME, labels: appLabels() }, rules: WATCH_PODS }),
  repair: new RoleDefinition({ kind: 'ClusterRole', metadata: { name: `${CNI_NAME}-repair-role`, labels: appLabels() }, rules: REPAIR, condition: R.enabled }),
  ambient: new RoleDefinition({ kind: 'ClusterRole', metadata: { name: `${CNI_NAME}-ambient`, labels: appLabels() }, rules: AMBIENT, condition: V.ambient.enabled }),
};

export class CniClusterRole extends CniTemplate {
  constructor(scope: Construct) {
    super(scope, 'clusterrole', { condition: clusterScoped });
    CNI_ROLES.main.write(this, 'main');
    CNI_ROLES.repair.write(this, 'repair', 'The repair controller (repair.enabled).');
    CNI_ROLES.ambient.write(this, 'ambient', 'Ambient mode (ambient.enabled).');
  }
}
