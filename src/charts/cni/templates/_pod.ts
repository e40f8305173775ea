/** `_pod.tpl`: the install-cni image and resource requirements of the node agent pod. */
import { helperFile } from '../../../helm';
import { resourcesHelper } from '../../common/values-helpers';

/** `hub/image:tag[-variant]`, or `image` as is when it already names a registry path. */
const IMAGE = [
  '{{- if contains "/" .Values.image -}}',
  '{{ .Values.image }}',
  '{{- else -}}',
  '{{ .Values.hub | default .Values.global.hub }}/{{ .Values.image | default "install-cni" }}:{{ .Values.tag | default .Values.global.tag }}',
  '{{- with .Values.variant | default .Values.global.variant }}-{{ . }}{{ end }}',
  '{{- end }}',
].join('\n');

export const POD_HELPERS = helperFile(__filename, [
  resourcesHelper('cni'),
  { name: 'cni.image', doc: 'The install-cni container image.', body: IMAGE },
]);
