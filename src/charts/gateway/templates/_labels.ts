/** `_labels.tpl`: the labels of every gateway object and the selector labels of its pods. */
import { helperFile } from '../../../helm';
import { labelsHelper } from '../../common/labels';

/** labels.app / labels.istio replace the derived values; set to "" they give an empty label, as upstream's. */
const SELECTOR_LABELS = `app: {{ index .Values.labels "app" | quote | default (include "gateway.name" .) }}
istio: {{ index .Values.labels "istio" | quote | default (include "gateway.name" . | trimPrefix "istio-") }}`;

/** Label values must be strings: numbers and booleans in `labels` are written quoted. */
const USER_LABELS = `{{- $out := dict }}
{{- range $key, $value := .Values.labels }}
{{- if not (has $key (list "app" "istio")) }}{{ $_ := set $out $key (toString $value) }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}`;

export const LABEL_HELPERS = helperFile(__filename, [
  labelsHelper('gateway'),
  { name: 'gateway.selectorLabels', doc: 'app and istio labels the gateway is selected by.', body: SELECTOR_LABELS },
  { name: 'gateway.userLabels', doc: 'The labels value without app and istio, values as strings.', body: USER_LABELS },
  {
    name: 'gateway.objectLabels',
    doc: "Labels of every object: the gateway's name, the chart's labels, the selector labels and the user's labels.",
    body: [
      'app.kubernetes.io/name: {{ include "gateway.name" . }}',
      '{{ include "gateway.labels" . }}',
      '{{ include "gateway.selectorLabels" . }}',
      '{{ include "gateway.userLabels" . }}',
    ].join('\n'),
  },
]);
