/** Binds istiod's Role in the istio namespace (role.ts) to the istiod ServiceAccount. */
import { Construct } from 'constructs';
import { TemplateFile } from '../../../helm';
import { PRELUDE, holdsConfig } from '../names';
import { ISTIOD_NAMESPACE_ROLE, ISTIOD_SUBJECTS } from './clusterrole';

export class IstiodRoleBinding extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'rolebinding', { prelude: PRELUDE, condition: holdsConfig });
    ISTIOD_NAMESPACE_ROLE.bind(this, 'istiod', ISTIOD_SUBJECTS);
  }
}
