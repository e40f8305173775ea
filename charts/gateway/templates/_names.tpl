{{- /* Generated from src/charts/gateway/templates/_names.ts by npm run synth; do not edit. */}}
{{/* Name of every object: name, else the release name, else istio-ingressgateway. */}}
{{- define "gateway.name" -}}
{{- $release := ternary "" .Release.Name (eq .Release.Name "RELEASE-NAME") }}
{{- .Values.name | default $release | default "istio-ingressgateway" }}
{{- end }}

{{/* The ServiceAccount the gateway pods run as. */}}
{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "gateway.name" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}
