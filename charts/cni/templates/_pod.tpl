{{- /* Generated from src/charts/cni/templates/_pod.ts by npm run synth; do not edit. */}}
{{/* Resource requirements without empty entries. */}}
{{- define "cni.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* The install-cni container image. */}}
{{- define "cni.image" -}}
{{- if contains "/" .Values.image -}}
{{ .Values.image }}
{{- else -}}
{{ .Values.hub | default .Values.global.hub }}/{{ .Values.image | default "install-cni" }}:{{ .Values.tag | default .Values.global.tag }}
{{- with .Values.variant | default .Values.global.variant }}-{{ . }}{{ end }}
{{- end }}
{{- end }}
