{{- /* Generated from src/charts/ztunnel/templates/_names.ts by npm run synth; do not edit. */}}
{{/* Name of the ztunnel objects and ServiceAccount: resourceName, else ztunnel. */}}
{{- define "ztunnel.name" -}}
{{- .Values.resourceName | default "ztunnel" }}
{{- end }}

{{/* The CA and XDS address when caAddress or xdsAddress is empty. */}}
{{- define "ztunnel.istiodAddress" -}}
istiod{{ with .Values.revision }}-{{ . }}{{ end }}.{{ .Values.istioNamespace }}.svc:15012
{{- end }}

{{/* The ztunnel image reference. */}}
{{- define "ztunnel.image" -}}
{{- if contains "/" .Values.image }}{{ .Values.image }}
{{- else }}{{ .Values.hub }}/{{ .Values.image | default "ztunnel" }}:{{ .Values.tag }}{{ with .Values.variant }}-{{ . }}{{ end }}
{{- end }}
{{- end }}
