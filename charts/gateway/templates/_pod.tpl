{{- /* Generated from src/charts/gateway/templates/_pod.ts by npm run synth; do not edit. */}}
{{/* Resource requirements without empty entries. */}}
{{- define "gateway.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* imagePullSecrets entries of the pod. */}}
{{- define "gateway.imagePullSecrets" -}}
{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}
{{- end }}
