/** `_pod.tpl`: pieces of the ztunnel pod written as template text. */
import { helperFile } from '../../../helm';
import { resourcesHelper } from '../../common/values-helpers';

/** Linux nodes only; a nodeSelector of the user's adds to it (and wins for kubernetes.io/os). */
const NODE_SELECTOR = `{{- toYaml (merge (dict) (deepCopy (.Values.nodeSelector | default dict)) (dict "kubernetes.io/os" "linux")) }}`;

/** Bare names (upstream's form) become {name: x}; {name: x} entries stay as they are. */
const IMAGE_PULL_SECRETS = `{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}`;

export const POD_HELPERS = helperFile(__filename, [
  resourcesHelper('ztunnel'),
  { name: 'ztunnel.nodeSelector', doc: 'nodeSelector of the ztunnel pods.', body: NODE_SELECTOR },
  { name: 'ztunnel.imagePullSecrets', doc: 'imagePullSecrets entries of the ServiceAccount.', body: IMAGE_PULL_SECRETS },
]);
