/** `_pod.tpl`: pieces of the ztunnel pod written as template text. */
import { helperFile } from '../../../helm';
import { imagePullSecretsHelper, resourcesHelper } from '../../common/values-helpers';

/** Linux nodes only; a nodeSelector of the user's adds to it (and wins for kubernetes.io/os). */
const NODE_SELECTOR = `{{- toYaml (merge (dict) (deepCopy (.Values.nodeSelector | default dict)) (dict "kubernetes.io/os" "linux")) }}`;

export const POD_HELPERS = helperFile(__filename, [
  resourcesHelper('ztunnel'),
  { name: 'ztunnel.nodeSelector', doc: 'nodeSelector of the ztunnel pods.', body: NODE_SELECTOR },
  imagePullSecretsHelper('ztunnel', 'imagePullSecrets entries of the ServiceAccount.'),
]);
