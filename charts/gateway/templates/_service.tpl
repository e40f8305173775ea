{{- /* Generated from src/charts/gateway/templates/_service.ts by npm run synth; do not edit. */}}
{{/* Ports of the gateway Service. */}}
{{- define "gateway.servicePorts" -}}
{{- $ports := .Values.service.ports }}
{{- if .Values.networkGateway }}
{{- $ports = list }}
{{- range $name, $target := dict "status-port" 15021 "tls" 15443 "tls-istiod" 15012 "tls-webhook" 15017 }}
{{- $port := index $.Values.networkGatewayPorts $name | required (printf "networkGatewayPorts.%s is required when networkGateway is set" $name) }}
{{- $ports = append $ports (dict "name" $name "port" $port.port "targetPort" ($port.targetPort | default $target) "protocol" ($port.protocol | default "TCP")) }}
{{- end }}
{{- end }}
{{- toYaml ($ports | default list) }}
{{- end }}
