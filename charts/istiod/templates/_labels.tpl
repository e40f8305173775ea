{{- /* Generated from src/charts/istiod/templates/_labels.ts by npm run synth; do not edit. */}}
{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "istiod.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of the objects istiod owns: revision, owner and component, as upstream sets them. */}}
{{- define "istiod.pilotLabels" -}}
istio.io/rev: {{ .Values.revision | default "default" | quote }}
install.operator.istio.io/owning-resource: {{ .Values.ownerName | default "unknown" | quote }}
operator.istio.io/component: Pilot
app.kubernetes.io/name: istiod
{{ include "istiod.labels" . }}
{{- end }}

{{/* The label that tells this revision's istiod pods from other revisions': istio.io/rev, or istio=pilot for the default install. */}}
{{- define "istiod.selectorLabels" -}}
{{- if .Values.revision }}
istio.io/rev: {{ .Values.revision | quote }}
{{- else }}
istio: pilot
{{- end }}
{{- end }}
