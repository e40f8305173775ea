/** `NOTES.txt`: what helm prints after installing ztunnel: where it runs and which istiod it trusts. */
export const ZTUNNEL_NOTES = `
{{- include "ztunnel.values" . -}}
ztunnel {{ include "ztunnel.name" . | quote }} is installed in {{ .Release.Namespace }}{{ with .Values.revision }} (revision {{ . }}){{ end }}: one pod per Linux node.

It gets its configuration and certificates from {{ .Values.xdsAddress | default (include "ztunnel.istiodAddress" .) }}.
istiod signs for it only if its CA_TRUSTED_NODE_ACCOUNTS names {{ .Release.Namespace }}/{{ include "ztunnel.name" . }}
(the istiod chart's default is <its namespace>/ztunnel; see trustedZtunnelNamespace and trustedZtunnelName).
Pods join the ambient mesh with: kubectl label namespace <namespace> istio.io/dataplane-mode=ambient
Status: kubectl rollout status daemonset/{{ include "ztunnel.name" . }} -n {{ .Release.Namespace }}
`;
