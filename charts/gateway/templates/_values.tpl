{{- /* Generated from src/charts/gateway by npm run synth; do not edit. */}}

{{/* The chart defaults, to tell what the user changed. */}}
{{- define "gateway.defaults" -}}
{{- .Files.Get "files/defaults.yaml" }}
{{- end }}

{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "gateway.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "gateway.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Lift global.* onto the chart keys (see src/charts/gateway/helpers.ts). */}}
{{- define "gateway.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := include "gateway.defaults" . | fromYaml }}
{{- with .Values.global }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" (omit . "global") "defaults" $defaults) }}
{{- end }}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}
