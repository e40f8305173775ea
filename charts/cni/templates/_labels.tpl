{{- /* Generated from src/charts/cni/templates/_labels.ts by npm run synth; do not edit. */}}
{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "cni.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release, revision, owner and component labels (what istioctl and uninstall select by), then the standard ones. */}}
{{- define "cni.ownerLabels" -}}
release: {{ .Release.Name }}
istio.io/rev: {{ .Values.revision | default "default" | quote }}
install.operator.istio.io/owning-resource: {{ .Values.ownerName | default "unknown" | quote }}
operator.istio.io/component: "Cni"
app.kubernetes.io/name: istio-cni
{{ include "cni.labels" . }}
{{- end }}
