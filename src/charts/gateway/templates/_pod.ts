/** `_pod.tpl`: pieces of the gateway pod spec written by hand-sized templates. */
import { helperFile } from '../../../helm';
import { imagePullSecretsHelper, resourcesHelper } from '../../common/values-helpers';

export const POD_HELPERS = helperFile(__filename, [
  resourcesHelper('gateway'),
  imagePullSecretsHelper('gateway', 'imagePullSecrets entries of the pod.'),
]);
