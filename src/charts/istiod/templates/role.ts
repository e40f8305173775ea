/**
 * The Role `istiod[-rev]` in the istio namespace: the CA secret, leader-election leases, the
 * validator's readiness probe and the status ConfigMap (rules in clusterrole.ts).
 */
import { Construct } from 'constructs';
import { holdsConfig, IstiodTemplate } from '../names';
import { ISTIOD_NAMESPACE_ROLE } from './clusterrole';

export class IstiodRole extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'role', { condition: holdsConfig });
    ISTIOD_NAMESPACE_ROLE.write(this, 'istiod');
  }
}
