{{- /* Generated from src/charts/istiod/templates/_values.ts by npm run synth; do not edit. */}}
{{/* The effective values: legacy top-level keys and profiles (see src/charts/istiod/templates/_values.ts). */}}
{{- define "istiod.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := .Files.Get "files/defaults.yaml" | fromYaml }}
{{- /* Top-level Deployment keys (upstream's second spelling) fold into pilot.X while pilot.X still holds its default. */}}
{{- $pilot := .Values.pilot }}
{{- range $key, $default := $defaults.pilot }}
{{- if and (hasKey $.Values $key) (eq (toJson (index $pilot $key)) (toJson $default)) }}
{{- $top := index $.Values $key }}
{{- if and (kindIs "map" $top) (kindIs "map" $default) }}
{{- $_ := set $pilot $key (mustMergeOverwrite (deepCopy $default) $top) }}
{{- else }}
{{- $_ := set $pilot $key $top }}
{{- end }}
{{- end }}
{{- end }}
{{- /* The profile, compatibility version and platform overlays (files/profile-*.yaml, a later one winning), applied only where a value still holds its chart default. */}}
{{- $overlay := dict }}
{{- $global := .Values.global | default dict }}
{{- range $file := list (printf "profile-%s" (include "istiod.profile" .)) (printf "profile-compatibility-version-%s" (.Values.compatibilityVersion | toString)) (printf "profile-platform-%s" (coalesce .Values.platform $global.platform "none")) }}
{{- with $.Files.Get (printf "files/%s.yaml" $file) }}
{{- $overlay = mustMergeOverwrite $overlay (fromYaml .) }}
{{- end }}
{{- end }}
{{- include "istiod.overlay" (dict "target" .Values "overlay" $overlay "defaults" $defaults) }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}

{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "istiod.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "istiod.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The selected profile: profile, else global.profile, else default; external means remote. */}}
{{- define "istiod.profile" -}}
{{- $name := coalesce .Values.profile (.Values.global | default dict).profile "default" | toString }}
{{- get (dict "external" "remote") $name | default $name }}
{{- end }}

{{/* The effective values as JSON. */}}
{{- define "istiod.mergedValues" -}}
{{- toPrettyJson (omit .Values "__effectiveValues") }}
{{- end }}
