{{- /* Generated from src/charts/istiod/templates/_names.ts by npm run synth; do not edit. */}}
{{/* "-<revision>" for a revisioned install, empty for the default one. */}}
{{- define "istiod.revisionSuffix" -}}
{{- if .Values.revision }}-{{ .Values.revision }}{{- end }}
{{- end }}

{{/* "-<namespace>" outside istio-system, so installs in several namespaces do not collide. */}}
{{- define "istiod.namespaceSuffix" -}}
{{- if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{- end }}
{{- end }}

{{/* Name of the Deployment, Service and ServiceAccount. */}}
{{- define "istiod.name" -}}
istiod{{ include "istiod.revisionSuffix" . }}
{{- end }}
