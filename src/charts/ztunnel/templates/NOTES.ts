/** `NOTES.txt`: what helm prints after installing ztunnel: where it runs and which istiod it trusts. */
export const ZTUNNEL_NOTES = `
{{- include "ztunnel.values" . -}}
ztunnel {{ include "ztunnel.name" . | quote }} runs on every Linux node, in {{ .Release.Namespace }}, served by {{ .Values.xdsAddress | default (include "ztunnel.istiodAddress" .) }}.
istiod must trust {{ .Release.Namespace }}/{{ include "ztunnel.name" . }} (its CA_TRUSTED_NODE_ACCOUNTS; default <istiod namespace>/ztunnel).
Add pods to the mesh: kubectl label namespace <namespace> istio.io/dataplane-mode=ambient
`;
