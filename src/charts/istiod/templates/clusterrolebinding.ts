/** Binds istiod's ClusterRoles (clusterrole.ts) to the istiod ServiceAccount. */
import { Construct } from 'constructs';
import { holdsConfig, IstiodTemplate } from '../names';
import { GATEWAY_CONTROLLER_ROLE, ISTIOD_CLUSTER_ROLE, ISTIOD_SUBJECTS } from './clusterrole';

export class IstiodClusterRoleBindings extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'clusterrolebinding', { condition: holdsConfig });
    ISTIOD_CLUSTER_ROLE.bind(this, 'istiod', ISTIOD_SUBJECTS);
    GATEWAY_CONTROLLER_ROLE.bind(this, 'gateway-controller', ISTIOD_SUBJECTS);
  }
}
