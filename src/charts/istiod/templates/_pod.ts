/** `_pod.tpl`: the discovery image and resource requirements of istiod's pod. */
import { helperFile } from '../../../helm';
import { resourcesHelper } from '../../common/values-helpers';

/** `hub/image:tag[-variant]`, or `image` as is when it already names a registry path. */
const IMAGE_HELPER = {
  name: 'istiod.image',
  doc: 'The discovery container image.',
  body: [
    '{{- if contains "/" .Values.pilot.image -}}',
    '{{ .Values.pilot.image }}',
    '{{- else -}}',
    '{{ .Values.pilot.hub | default .Values.global.hub }}/{{ .Values.pilot.image | default "pilot" }}:{{ .Values.pilot.tag | default .Values.global.tag }}',
    '{{- with .Values.pilot.variant | default .Values.global.variant }}-{{ . }}{{ end }}',
    '{{- end }}',
  ].join('\n'),
};

export const POD_HELPERS = helperFile(__filename, [resourcesHelper('istiod'), IMAGE_HELPER]);
