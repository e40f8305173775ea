{{- /* Generated from src/charts/istiod/templates/_pod.ts by npm run synth; do not edit. */}}
{{/* Resource requirements without empty entries. */}}
{{- define "istiod.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* The discovery container image. */}}
{{- define "istiod.image" -}}
{{- if contains "/" .Values.pilot.image -}}
{{ .Values.pilot.image }}
{{- else -}}
{{ .Values.pilot.hub | default .Values.global.hub }}/{{ .Values.pilot.image | default "pilot" }}:{{ .Values.pilot.tag | default .Values.global.tag }}
{{- with .Values.pilot.variant | default .Values.global.variant }}-{{ . }}{{ end }}
{{- end }}
{{- end }}
