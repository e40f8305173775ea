{{- /* Generated from src/charts/istiod/templates/_remote.ts by npm run synth; do not edit. */}}
{{/* The remote istiod Service: istiod[-rev], with -remote next to a local injector istiod. */}}
{{- define "istiod.remoteName" -}}
{{ include "istiod.name" . }}{{ if .Values.istiodRemote.enabledLocalInjectorIstiod }}-remote{{ end }}
{{- end }}

{{/* IPv4 or IPv6 when global.remotePilotAddress is an IP address, nothing for a host name. */}}
{{- define "istiod.remoteAddressType" -}}
{{- if regexMatch "^([0-9]*\\.){3}[0-9]*$" .Values.global.remotePilotAddress }}IPv4{{- else if regexMatch "^([0-9a-fA-F]*:)+[0-9a-fA-F]*$" .Values.global.remotePilotAddress }}IPv6{{- end }}
{{- end }}
