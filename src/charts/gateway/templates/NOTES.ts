/** `NOTES.txt`: what helm prints after installing a gateway: its name, namespace and selector. */
export const GATEWAY_NOTES = `
{{- include "gateway.values" . -}}
Gateway {{ include "gateway.name" . | quote }} is installed in {{ .Release.Namespace }}{{ with .Values.revision }} (revision {{ . }}){{ end }}.

Its pods get their proxy from istiod when they start, so the namespace must not carry
istio-injection=disabled. Select it from a Gateway resource with:
  selector:
    istio: {{ index .Values.labels "istio" | default (include "gateway.name" . | trimPrefix "istio-") }}
{{- if ne .Values.service.type "None" }}
Service: kubectl get service {{ include "gateway.name" . }} -n {{ .Release.Namespace }}
{{- end }}
`;
