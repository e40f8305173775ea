{{- /* Generated from src/charts/istiod by npm run synth; do not edit. */}}

{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "istiod.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "-<revision>" for a revisioned install, empty for the default one. */}}
{{- define "istiod.revisionSuffix" -}}
{{- if .Values.revision }}-{{ .Values.revision }}{{- end }}
{{- end }}

{{/* "-<namespace>" outside istio-system, so installs in several namespaces do not collide. */}}
{{- define "istiod.namespaceSuffix" -}}
{{- if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{- end }}
{{- end }}

{{/* Name of the Deployment, Service and ServiceAccount. */}}
{{- define "istiod.name" -}}
istiod{{ include "istiod.revisionSuffix" . }}
{{- end }}

{{/* The chart defaults, to tell what the user changed. */}}
{{- define "istiod.defaults" -}}
pilot:
  autoscaleEnabled: true
  autoscaleMin: 1
  autoscaleMax: 5
  autoscaleBehavior: {}
  replicaCount: 1
  rollingMaxSurge: 100%
  rollingMaxUnavailable: 25%
  hub: ""
  tag: ""
  variant: ""
  image: pilot
  traceSampling: 1
  resources:
    requests:
      cpu: 500m
      memory: 2048Mi
  seccompProfile: {}
  cni:
    enabled: false
    provider: default
  extraContainerArgs: []
  env: {}
  envVarFrom: []
  taint:
    enabled: false
    namespace: ""
    name: cni.istio.io/not-ready
  affinity: {}
  tolerations: []
  cpu:
    targetAverageUtilization: 80
  memory: {}
  volumeMounts: []
  volumes: []
  initContainers: []
  nodeSelector: {}
  podAnnotations: {}
  serviceAnnotations: {}
  serviceAccountAnnotations: {}
  sidecarInjectorWebhookAnnotations: {}
  topologySpreadConstraints: []
  jwksResolverExtraRootCA: ""
  keepaliveMaxServerConnectionAge: 30m
  deploymentLabels: {}
  deploymentAnnotations: {}
  configMap: true
  podLabels: {}
  ipFamilyPolicy: ""
  ipFamilies: []
  trustedZtunnelNamespace: ""
  trustedZtunnelName: ""
  crlConfigMapName: ""
  trafficDistribution: ""
  terminationMessagePolicy: ""
sidecarInjectorWebhook:
  neverInjectSelector: []
  alwaysInjectSelector: []
  injectedAnnotations: {}
  enableNamespacesByDefault: false
  reinvocationPolicy: Never
  rewriteAppHTTPProbe: true
  templates: {}
  defaultTemplates: []
istiodRemote:
  enabled: false
  enabledLocalInjectorIstiod: false
  injectionURL: ""
  injectionPath: /inject
  injectionCABundle: ""
telemetry:
  enabled: true
  v2:
    enabled: true
    prometheus:
      enabled: true
    stackdriver:
      enabled: false
revision: ""
revisionTags: []
ownerName: ""
meshConfig:
  enablePrometheusMerge: true
experimental:
  stableValidationPolicy: false
global:
  imagePullSecrets: []
  istioNamespace: istio-system
  resourceScope: all
  certSigners: []
  defaultPodDisruptionBudget:
    enabled: true
  defaultResources:
    requests:
      cpu: 10m
  hub: docker.io/istio
  tag: 1.31.4
  variant: ""
  imagePullPolicy: ""
  istiod:
    enableAnalysis: false
  logAsJson: false
  nativeNftables: false
  logging:
    level: default:info
  networkPolicy:
    enabled: false
  omitSidecarInjectorConfigMap: false
  operatorManageWebhooks: false
  priorityClassName: ""
  proxy:
    image: proxyv2
    autoInject: enabled
    clusterDomain: cluster.local
    componentLogLevel: misc:error
    excludeInboundPorts: ""
    includeInboundPorts: "*"
    includeIPRanges: "*"
    excludeIPRanges: ""
    includeOutboundPorts: ""
    excludeOutboundPorts: ""
    logLevel: warning
    outlierLogPath: ""
    privileged: false
    seccompProfile: {}
    readinessFailureThreshold: 4
    readinessInitialDelaySeconds: 0
    readinessPeriodSeconds: 15
    startupProbe:
      enabled: true
      failureThreshold: 600
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
      limits:
        cpu: 2000m
        memory: 1024Mi
    statusPort: 15020
    tracer: none
    holdApplicationUntilProxyStarts: false
    lifecycle: {}
    capNetBindService: false
    variant: ""
  proxy_init:
    image: proxyv2
    forceApplyIptables: false
  remotePilotAddress: ""
  caAddress: ""
  externalIstiod: false
  configCluster: false
  configValidation: true
  meshID: ""
  meshNetworks: {}
  mountMtlsCerts: false
  multiCluster:
    clusterName: ""
  network: ""
  pilotCertProvider: istiod
  sds:
    token:
      aud: istio-ca
  sts:
    servicePort: 0
  caName: ""
  waypoint:
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
      limits:
        cpu: "2"
        memory: 1Gi
    affinity: {}
    topologySpreadConstraints: []
    nodeSelector: {}
    tolerations: []
  enableReaderRBAC: true
  readerServiceAccount:
    name: ""
    namespace: ""
  trustBundleName: ""
  trustDomain: ""
  platform: ""
  profile: ""
  ipFamilyPolicy: ""
  ipFamilies: []
  agentgateway:
    image: ""
  tracer:
    datadog:
      address: ""
    lightstep:
      address: ""
      accessToken: ""
    zipkin:
      address: ""
base:
  enableIstioConfigCRDs: true
  validationURL: ""
  validationCABundle: ""
  validationFailurePolicy: ""
gateways:
  securityContext: {}
  seccompProfile: {}
gatewayClasses: {}
pdb:
  minAvailable: 1
  unhealthyPodEvictionPolicy: ""
profile: ""
compatibilityVersion: ""
platform: ""
{{- end }}

{{/* The effective values: legacy top-level keys and profiles (see src/charts/istiod/helpers.ts). */}}
{{- define "istiod.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := include "istiod.defaults" . | fromYaml }}
{{- $pilot := .Values.pilot }}
{{- range $key, $default := $defaults.pilot }}
{{- if and (hasKey $.Values $key) (eq (toJson (index $pilot $key)) (toJson $default)) }}
{{- $top := index $.Values $key }}
{{- if and (kindIs "map" $top) (kindIs "map" $default) }}
{{- $_ := set $pilot $key (mustMergeOverwrite (deepCopy $default) $top) }}
{{- else }}
{{- $_ := set $pilot $key $top }}
{{- end }}
{{- end }}
{{- end }}
{{- $overlay := dict }}
{{- $global := .Values.global | default dict }}
{{- range $file := list (printf "profile-%s" (coalesce .Values.profile $global.profile "default")) (printf "profile-compatibility-version-%s" (.Values.compatibilityVersion | toString)) (printf "profile-platform-%s" (coalesce .Values.platform $global.platform "none")) }}
{{- with $.Files.Get (printf "files/%s.yaml" $file) }}
{{- $overlay = mustMergeOverwrite $overlay (fromYaml .) }}
{{- end }}
{{- end }}
{{- include "istiod.overlay" (dict "target" .Values "overlay" $overlay "defaults" $defaults) }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}

{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "istiod.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "istiod.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Resource requirements without empty entries. */}}
{{- define "istiod.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* The discovery container image. */}}
{{- define "istiod.image" -}}
{{- if contains "/" .Values.pilot.image -}}
{{ .Values.pilot.image }}
{{- else -}}
{{ .Values.pilot.hub | default .Values.global.hub }}/{{ .Values.pilot.image | default "pilot" }}:{{ .Values.pilot.tag | default .Values.global.tag }}
{{- with .Values.pilot.variant | default .Values.global.variant }}-{{ . }}{{ end }}
{{- end }}
{{- end }}

{{/* The effective values as JSON. */}}
{{- define "istiod.mergedValues" -}}
{{- toPrettyJson (omit .Values "__effectiveValues") }}
{{- end }}

{{/* MeshConfig the chart derives from values. */}}
{{- define "istiod.meshDefaults" -}}
trustDomain: cluster.local
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
  {{- end }}
{{- end }}

{{/* The MeshConfig istiod reads: meshConfig merged over the derived defaults. */}}
{{- define "istiod.mesh" -}}
{{- mustMergeOverwrite (include "istiod.meshDefaults" . | fromYaml) (deepCopy .Values.meshConfig) | toYaml }}
{{- end }}

{{/* The networks of a multi-network mesh. */}}
{{- define "istiod.meshNetworks" -}}
{{- dict "networks" (.Values.global.meshNetworks | default dict) | toYaml }}
{{- end }}

{{/* The injector configuration istiod reads (key config). */}}
{{- define "istiod.injectorConfig" -}}
{{- $webhook := .Values.sidecarInjectorWebhook }}
defaultTemplates: {{ $webhook.defaultTemplates | default (list "sidecar") | toJson }}
policy: {{ .Values.global.proxy.autoInject }}
alwaysInjectSelector: {{ $webhook.alwaysInjectSelector | default list | toJson }}
neverInjectSelector: {{ $webhook.neverInjectSelector | default list | toJson }}
injectedAnnotations: {{ $webhook.injectedAnnotations | default dict | toJson }}
templates:
{{- range $name := list "gateway" "grpc-agent" "grpc-simple" "kube-gateway" "sidecar" "waypoint" }}
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
