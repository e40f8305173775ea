/** `_labels.tpl`: the labels and annotations of the ztunnel objects and pods. */
import { helperFile } from '../../../helm';
import { labelsHelper } from '../../common/labels';

/**
 * One map each, later entries winning: upstream writes the user's labels after its own in the
 * same mapping (a repeated key, which Kubernetes resolves to the last); ours merges them, so
 * the output is the same without repeated keys.
 */
const OBJECT_LABELS = `{{- $out := dict "app.kubernetes.io/name" "ztunnel" }}
{{- $_ := mustMergeOverwrite $out (include "ztunnel.labels" . | fromYaml) (deepCopy (.Values.labels | default dict)) }}
{{- toYaml $out }}`;

/** The pods stay out of sidecar injection and out of the ambient data plane they serve. */
const POD_LABELS = `{{- $out := dict "sidecar.istio.io/inject" "false" "istio.io/dataplane-mode" "none" "app" "ztunnel" "app.kubernetes.io/name" "ztunnel" }}
{{- $_ := mustMergeOverwrite $out (include "ztunnel.labels" . | fromYaml) (deepCopy (.Values.podLabels | default dict)) }}
{{- toYaml $out }}`;

const POD_ANNOTATIONS = `{{- $out := dict "sidecar.istio.io/inject" "false" }}
{{- with .Values.revision }}{{ $_ := set $out "istio.io/rev" . }}{{ end }}
{{- $_ := mustMergeOverwrite $out (deepCopy (.Values.podAnnotations | default dict)) }}
{{- toYaml $out }}`;

/** The revision wins over a user's istio.io/rev, as upstream's. */
const ANNOTATIONS = `{{- $out := deepCopy (.Values.annotations | default dict) }}
{{- with .Values.revision }}{{ $_ := set $out "istio.io/rev" . }}{{ end }}
{{- toYaml $out }}`;

export const LABEL_HELPERS = helperFile(__filename, [
  labelsHelper('ztunnel'),
  { name: 'ztunnel.objectLabels', doc: 'Labels of the DaemonSet, ServiceAccount and ResourceQuota.', body: OBJECT_LABELS },
  { name: 'ztunnel.podLabels', doc: 'Labels of the ztunnel pods.', body: POD_LABELS },
  { name: 'ztunnel.podAnnotations', doc: 'Annotations of the ztunnel pods.', body: POD_ANNOTATIONS },
  { name: 'ztunnel.annotations', doc: 'Annotations of the DaemonSet, ServiceAccount and RBAC objects.', body: ANNOTATIONS },
]);
