/** `_pod.tpl`: pieces of the gateway pod spec written by hand-sized templates. */
import { helperFile } from '../../../helm';
import { resourcesHelper } from '../../common/values-helpers';

/** `{name: x}` entries as they are; bare names (global.imagePullSecrets style) become `{name: x}`. */
const IMAGE_PULL_SECRETS = `{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}`;

export const POD_HELPERS = helperFile(__filename, [
  resourcesHelper('gateway'),
  { name: 'gateway.imagePullSecrets', doc: 'imagePullSecrets entries of the pod.', body: IMAGE_PULL_SECRETS },
]);
