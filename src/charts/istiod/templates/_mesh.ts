/** `_mesh.tpl`: the MeshConfig and mesh networks istiod reads, from meshConfig and the values it derives from. */
import { helperFile } from '../../../helm';

/** Defaults derived from values, before meshConfig is merged over them. */
const MESH_DEFAULTS = `trustDomain: cluster.local
rootNamespace: {{ .Values.meshConfig.rootNamespace | default .Values.global.istioNamespace | quote }}
{{- $telemetry := and (not .Values.meshConfig.defaultProviders) .Values.telemetry.enabled .Values.telemetry.v2.enabled }}
{{- $prometheus := and $telemetry .Values.telemetry.v2.prometheus.enabled }}
{{- $stackdriver := and $telemetry .Values.telemetry.v2.stackdriver.enabled }}
{{- if or $prometheus $stackdriver }}
defaultProviders:
  metrics:
  {{- if $prometheus }}
  - prometheus
  {{- end }}
  {{- if $stackdriver }}
  - stackdriver
  {{- end }}
  {{- if $stackdriver }}
  accessLogging:
  - stackdriver
  {{- end }}
{{- end }}
defaultConfig:
  {{- with .Values.global.meshID }}
  meshId: {{ . | quote }}
  {{- end }}
  {{- with .Values.global.proxy.variant | default .Values.global.variant }}
  image:
    imageType: {{ . | quote }}
  {{- end }}
  {{- $tracer := .Values.global.proxy.tracer }}
  {{- $settings := .Values.global.tracer | default dict }}
  {{- if eq $tracer "zipkin" }}
  tracing:
    zipkin:
      address: {{ ($settings.zipkin).address | default (printf "zipkin.%s:9411" .Values.global.istioNamespace) | quote }}
  {{- else if eq $tracer "datadog" }}
  tracing:
    datadog:
      address: {{ ($settings.datadog).address | default "$(HOST_IP):8126" | quote }}
  {{- else if eq $tracer "lightstep" }}
  tracing:
    lightstep:
      address: {{ ($settings.lightstep).address | quote }}
      accessToken: {{ ($settings.lightstep).accessToken | quote }}
  {{- else if eq $tracer "stackdriver" }}
  {{- /* its settings under global.tracer.stackdriver were removed; these are the fixed defaults */}}
  tracing:
    stackdriver:
      debug: false
      maxNumberOfAttributes: 200
      maxNumberOfAnnotations: 200
      maxNumberOfMessageEvents: 200
  {{- end }}
  {{- if not .Values.global.remotePilotAddress }}
  discoveryAddress: {{ include "istiod.name" . }}.{{ .Release.Namespace }}.svc:15012
  {{- else if and .Values.istiodRemote.enabled .Values.istiodRemote.enabledLocalInjectorIstiod }}
  discoveryAddress: istiod-remote.{{ .Release.Namespace }}.svc:15012
  {{- else }}
  discoveryAddress: istiod.{{ .Release.Namespace }}.svc:15012
  {{- end }}`;

export const MESH_HELPERS = helperFile(__filename, [
  { name: 'istiod.meshDefaults', doc: 'MeshConfig the chart derives from values.', body: MESH_DEFAULTS },
  {
    name: 'istiod.mesh',
    doc: 'The MeshConfig istiod reads: meshConfig merged over the derived defaults.',
    body: '{{- mustMergeOverwrite (include "istiod.meshDefaults" . | fromYaml) (deepCopy .Values.meshConfig) | toYaml }}',
  },
  {
    name: 'istiod.meshNetworks',
    doc: 'The networks of a multi-network mesh.',
    body: '{{- dict "networks" (.Values.global.meshNetworks | default dict) | toYaml }}',
  },
]);
