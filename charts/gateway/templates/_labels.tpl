{{- /* Generated from src/charts/gateway/templates/_labels.ts by npm run synth; do not edit. */}}
{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "gateway.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* app and istio labels the gateway is selected by. */}}
{{- define "gateway.selectorLabels" -}}
app: {{ index .Values.labels "app" | quote | default (include "gateway.name" .) }}
istio: {{ index .Values.labels "istio" | quote | default (include "gateway.name" . | trimPrefix "istio-") }}
{{- end }}

{{/* The labels value without app and istio, values as strings. */}}
{{- define "gateway.userLabels" -}}
{{- $out := dict }}
{{- range $key, $value := .Values.labels }}
{{- if not (has $key (list "app" "istio")) }}{{ $_ := set $out $key (toString $value) }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* Labels of every object: the gateway's name, the chart's labels, the selector labels and the user's labels. */}}
{{- define "gateway.objectLabels" -}}
app.kubernetes.io/name: {{ include "gateway.name" . }}
{{ include "gateway.labels" . }}
{{ include "gateway.selectorLabels" . }}
{{ include "gateway.userLabels" . }}
{{- end }}
