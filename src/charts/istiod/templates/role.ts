/**
 * The Role `istiod[-rev]` in the istio namespace: the CA secret, leader-election leases, the
 * validator's readiness probe and the status ConfigMap (rules in clusterrole.ts).
 */
import { Construct } from 'constructs';
import { TemplateFile } from '../../../helm';
import { PRELUDE, holdsConfig } from '../names';
import { ISTIOD_NAMESPACE_ROLE } from './clusterrole';

export class IstiodRole extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'role', { prelude: PRELUDE, condition: holdsConfig });
    ISTIOD_NAMESPACE_ROLE.write(this, 'istiod');
  }
}
