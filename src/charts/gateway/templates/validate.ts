/**
 * Render-time checks: values that would give objects Kubernetes rejects fail the render with a
 * message that names the key.
 */
export const GATEWAY_CHECKS = [
  // an empty port list would give a Service Kubernetes rejects
  '{{- if and (ne .Values.service.type "None") (not .Values.networkGateway) (not .Values.service.ports) }}',
  '{{- fail "service.ports must not be empty unless networkGateway is set" }}',
  '{{- end }}',
];
