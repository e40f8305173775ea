{{- /* Generated from src/charts/base/templates/_values.ts by npm run synth; do not edit. */}}
{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "base.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "base.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The selected profile: profile, else global.profile, else default; external means remote. */}}
{{- define "base.profile" -}}
{{- $name := coalesce .Values.profile (.Values.global | default dict).profile "default" | toString }}
{{- get (dict "external" "remote") $name | default $name }}
{{- end }}

{{/* The effective values: the profile applied where a value holds its default (see src/charts/common/profiles.ts). */}}
{{- define "base.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := .Files.Get "files/defaults.yaml" | fromYaml }}
{{- /* The profile, compatibility version and platform overlays (files/profile-*.yaml, a later one winning), applied only where a value still holds its chart default. */}}
{{- $overlay := dict }}
{{- $global := .Values.global | default dict }}
{{- range $file := list (printf "profile-%s" (include "base.profile" .)) (printf "profile-compatibility-version-%s" (.Values.compatibilityVersion | toString)) (printf "profile-platform-%s" (coalesce .Values.platform $global.platform "none")) }}
{{- with $.Files.Get (printf "files/%s.yaml" $file) }}
{{- $overlay = mustMergeOverwrite $overlay (fromYaml .) }}
{{- end }}
{{- end }}
{{- include "base.overlay" (dict "target" .Values "overlay" $overlay "defaults" $defaults) }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}
