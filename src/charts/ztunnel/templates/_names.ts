/** `_names.tpl`: the name of the ztunnel objects and the address of its istiod. */
import { helperFile } from '../../../helm';

/** Default istiod of the revision, in istioNamespace, on its XDS and CA port. */
const ISTIOD_ADDRESS = `istiod{{ with .Values.revision }}-{{ . }}{{ end }}.{{ .Values.istioNamespace }}.svc:15012`;

/** hub/image:tag[-variant], or image as it is when it names a registry path itself. */
const IMAGE = `{{- if contains "/" .Values.image }}{{ .Values.image }}
{{- else }}{{ .Values.hub }}/{{ .Values.image | default "ztunnel" }}:{{ .Values.tag }}{{ with .Values.variant }}-{{ . }}{{ end }}
{{- end }}`;

export const NAME_HELPERS = helperFile(__filename, [
  { name: 'ztunnel.name', doc: 'Name of the ztunnel objects and ServiceAccount: resourceName, else ztunnel.', body: '{{- .Values.resourceName | default "ztunnel" }}' },
  { name: 'ztunnel.istiodAddress', doc: 'The CA and XDS address when caAddress or xdsAddress is empty.', body: ISTIOD_ADDRESS },
  { name: 'ztunnel.image', doc: 'The ztunnel image reference.', body: IMAGE },
]);
