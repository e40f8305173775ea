{{- /* Generated from src/charts/istiod/templates/_injector.ts by npm run synth; do not edit. */}}
{{/* The injector configuration istiod reads (key config). */}}
{{- define "istiod.injectorConfig" -}}
{{- $webhook := .Values.sidecarInjectorWebhook }}
defaultTemplates: {{ $webhook.defaultTemplates | default (list "sidecar") | toJson }}
policy: {{ .Values.global.proxy.autoInject }}
alwaysInjectSelector: {{ $webhook.alwaysInjectSelector | default list | toJson }}
neverInjectSelector: {{ $webhook.neverInjectSelector | default list | toJson }}
injectedAnnotations: {{ $webhook.injectedAnnotations | default dict | toJson }}
templates:
{{- range $name := list "agentgateway-waypoint" "agentgateway" "gateway" "grpc-agent" "grpc-simple" "kube-gateway" "sidecar" "waypoint" }}
{{- if not (hasKey $webhook.templates $name) }}
  {{ $name }}: |
    {{- $.Files.Get (printf "files/injection/%s.yaml" $name) | nindent 4 }}
{{- end }}
{{- end }}
{{- with $webhook.templates }}
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The values the injection templates read (key values), as JSON. */}}
{{- define "istiod.injectorValues" -}}
{{- $values := pick .Values "global" "sidecarInjectorWebhook" "revision" }}
{{- $_ := set $values "pilot" (pick .Values.pilot "cni" "env") }}
{{- $_ := set $values "gateways" (pick .Values.gateways "securityContext" "seccompProfile") }}
{{- toPrettyJson $values }}
{{- end }}

{{/* Where and for which requests the apiserver calls this revision's injector (shared by the main and every tag webhook). */}}
{{- define "istiod.injectorWebhook" -}}
clientConfig:
  {{- if .Values.istiodRemote.injectionURL }}
  url: {{ .Values.istiodRemote.injectionURL | quote }}
  {{- else }}
  service:
    name: {{ include "istiod.name" . }}
    namespace: {{ .Release.Namespace | quote }}
    path: {{ .Values.istiodRemote.injectionPath | quote }}
    port: 443
  {{- end }}
  {{- if .Values.istiodRemote.injectionCABundle }}
  caBundle: {{ .Values.istiodRemote.injectionCABundle | quote }}
  {{- end }}
sideEffects: None
rules:
- operations: ["CREATE"]
  apiGroups: [""]
  apiVersions: ["v1"]
  resources: ["pods"]
failurePolicy: Fail
reinvocationPolicy: {{ .Values.sidecarInjectorWebhook.reinvocationPolicy | quote }}
admissionReviewVersions: ["v1"]
{{- end }}
