{{- /* Generated from src/charts/ztunnel/templates/_values.ts by npm run synth; do not edit. */}}
{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "ztunnel.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "ztunnel.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The selected profile: profile, else global.profile, else default; external means remote. */}}
{{- define "ztunnel.profile" -}}
{{- $name := coalesce .Values.profile (.Values.global | default dict).profile "default" | toString }}
{{- get (dict "external" "remote") $name | default $name }}
{{- end }}

{{/* The effective values: global.* lifted onto the chart keys, then the profile (see src/charts/ztunnel/templates/_values.ts). */}}
{{- define "ztunnel.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := .Files.Get "files/defaults.yaml" | fromYaml }}
{{- with .Values.global }}
{{- include "ztunnel.overlay" (dict "target" $.Values "overlay" (omit . "global") "defaults" $defaults) }}
{{- end }}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "ztunnel.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
{{- /* The profile, compatibility version and platform overlays (files/profile-*.yaml, a later one winning), applied only where a value still holds its chart default. */}}
{{- $overlay := dict }}
{{- $global := .Values.global | default dict }}
{{- range $file := list (printf "profile-%s" (include "ztunnel.profile" .)) (printf "profile-compatibility-version-%s" (.Values.compatibilityVersion | toString)) (printf "profile-platform-%s" (coalesce .Values.platform $global.platform "none")) }}
{{- with $.Files.Get (printf "files/%s.yaml" $file) }}
{{- $overlay = mustMergeOverwrite $overlay (fromYaml .) }}
{{- end }}
{{- end }}
{{- include "ztunnel.overlay" (dict "target" .Values "overlay" $overlay "defaults" $defaults) }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}
