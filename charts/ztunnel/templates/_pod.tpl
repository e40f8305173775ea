{{- /* Generated from src/charts/ztunnel/templates/_pod.ts by npm run synth; do not edit. */}}
{{/* Resource requirements without empty entries. */}}
{{- define "ztunnel.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* nodeSelector of the ztunnel pods. */}}
{{- define "ztunnel.nodeSelector" -}}
{{- toYaml (merge (dict) (deepCopy (.Values.nodeSelector | default dict)) (dict "kubernetes.io/os" "linux")) }}
{{- end }}

{{/* imagePullSecrets entries of the ServiceAccount. */}}
{{- define "ztunnel.imagePullSecrets" -}}
{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}
{{- end }}
