/** Binds istiod's Role in the istio namespace (role.ts) to the istiod ServiceAccount. */
import { Construct } from 'constructs';
import { holdsConfig, IstiodTemplate } from '../names';
import { ISTIOD_NAMESPACE_ROLE, ISTIOD_SUBJECTS } from './clusterrole';

export class IstiodRoleBinding extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'rolebinding', { condition: holdsConfig });
    ISTIOD_NAMESPACE_ROLE.bind(this, 'istiod', ISTIOD_SUBJECTS);
  }
}
