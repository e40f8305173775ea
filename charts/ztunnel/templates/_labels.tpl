{{- /* Generated from src/charts/ztunnel/templates/_labels.ts by npm run synth; do not edit. */}}
{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "ztunnel.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of the DaemonSet, ServiceAccount and ResourceQuota. */}}
{{- define "ztunnel.objectLabels" -}}
{{- $out := dict "app.kubernetes.io/name" "ztunnel" }}
{{- $_ := mustMergeOverwrite $out (include "ztunnel.labels" . | fromYaml) (deepCopy (.Values.labels | default dict)) }}
{{- toYaml $out }}
{{- end }}

{{/* Labels of the ztunnel pods. */}}
{{- define "ztunnel.podLabels" -}}
{{- $out := dict "sidecar.istio.io/inject" "false" "istio.io/dataplane-mode" "none" "app" "ztunnel" "app.kubernetes.io/name" "ztunnel" }}
{{- $_ := mustMergeOverwrite $out (include "ztunnel.labels" . | fromYaml) (deepCopy (.Values.podLabels | default dict)) }}
{{- toYaml $out }}
{{- end }}

{{/* Annotations of the ztunnel pods. */}}
{{- define "ztunnel.podAnnotations" -}}
{{- $out := dict "sidecar.istio.io/inject" "false" }}
{{- with .Values.revision }}{{ $_ := set $out "istio.io/rev" . }}{{ end }}
{{- $_ := mustMergeOverwrite $out (deepCopy (.Values.podAnnotations | default dict)) }}
{{- toYaml $out }}
{{- end }}

{{/* Annotations of the DaemonSet, ServiceAccount and RBAC objects. */}}
{{- define "ztunnel.annotations" -}}
{{- $out := deepCopy (.Values.annotations | default dict) }}
{{- with .Values.revision }}{{ $_ := set $out "istio.io/rev" . }}{{ end }}
{{- toYaml $out }}
{{- end }}
