/** `_service.tpl`: the gateway Service's ports, shared with the NetworkPolicy. */
import { helperFile } from '../../../helm';

/**
 * A network gateway exposes the four cross-network ports (each must be configured; targetPort
 * and protocol have defaults); any other gateway exposes service.ports. A YAML list, read by the
 * Service and by the NetworkPolicy (which admits exactly these target ports).
 */
const SERVICE_PORTS = `{{- $ports := .Values.service.ports }}
{{- if .Values.networkGateway }}
{{- $ports = list }}
{{- range $name, $target := dict "status-port" 15021 "tls" 15443 "tls-istiod" 15012 "tls-webhook" 15017 }}
{{- $port := index $.Values.networkGatewayPorts $name | required (printf "networkGatewayPorts.%s is required when networkGateway is set" $name) }}
{{- $ports = append $ports (dict "name" $name "port" $port.port "targetPort" ($port.targetPort | default $target) "protocol" ($port.protocol | default "TCP")) }}
{{- end }}
{{- end }}
{{- toYaml ($ports | default list) }}`;

export const SERVICE_HELPERS = helperFile(__filename, [{ name: 'gateway.servicePorts', doc: 'Ports of the gateway Service.', body: SERVICE_PORTS }]);
