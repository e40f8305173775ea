/** `NOTES.txt`: what helm prints after installing the node agent, and what it needs of its namespace. */
export const CNI_NOTES = `
{{- include "cni.values" . -}}
The Istio CNI node agent (DaemonSet istio-cni-node) is installed in {{ .Release.Namespace }}{{ with .Values.revision }} (revision {{ . }}){{ end }}.
{{- if .Values.ambient.enabled }}
Ambient mode is on: install the ztunnel chart next, and label namespaces istio.io/dataplane-mode=ambient.
{{- else }}
Sidecars use it when istiod is installed with pilot.cni.enabled=true (no istio-init container then).
{{- end }}

Its pods mount host paths and add capabilities, so {{ .Release.Namespace }} must allow them:
  kubectl label namespace {{ .Release.Namespace }} pod-security.kubernetes.io/enforce=privileged
Check the agents with: kubectl rollout status daemonset/istio-cni-node -n {{ .Release.Namespace }}
`;
