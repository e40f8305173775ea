/** `NOTES.txt`: what helm prints after installing istiod: how to label namespaces, what to install next. */
export const ISTIOD_NOTES = `
{{- include "istiod.values" . -}}
{{ include "istiod.name" . }} {{ .Chart.AppVersion }} is installed in {{ .Release.Namespace }} (revision {{ .Values.revision | default "default" }}).

Label a namespace to inject its new pods:
  kubectl label namespace <ns> {{ if .Values.revision }}istio.io/rev={{ .Values.revision }}{{ else }}istio-injection=enabled{{ end }}
Then install a gateway:
  helm install istio-ingress ./charts/gateway -n istio-ingress --create-namespace
`;
