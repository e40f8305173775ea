{{- /* Generated from src/charts/gateway by npm run synth; do not edit. */}}

{{/* Labels on every object: who manages it, which release, which Istio version. */}}
{{- define "gateway.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/part-of: "istio"
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of every object: name, else the release name, else istio-ingressgateway. */}}
{{- define "gateway.name" -}}
{{- $release := ternary "" .Release.Name (eq .Release.Name "RELEASE-NAME") }}
{{- .Values.name | default $release | default "istio-ingressgateway" }}
{{- end }}

{{/* app and istio labels the gateway is selected by. */}}
{{- define "gateway.selectorLabels" -}}
app: {{ index .Values.labels "app" | quote | default (include "gateway.name" .) }}
istio: {{ index .Values.labels "istio" | quote | default (include "gateway.name" . | trimPrefix "istio-") }}
{{- end }}

{{/* The labels value without app and istio, values as strings. */}}
{{- define "gateway.userLabels" -}}
{{- $out := dict }}
{{- range $key, $value := .Values.labels }}
{{- if not (has $key (list "app" "istio")) }}{{ $_ := set $out $key (toString $value) }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* The ServiceAccount the gateway pods run as. */}}
{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "gateway.name" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}

{{/* The chart defaults, to tell what the user changed. */}}
{{- define "gateway.defaults" -}}
name: ""
revision: ""
replicaCount: null
kind: Deployment
rbac:
  enabled: true
serviceAccount:
  create: true
  annotations: {}
  name: ""
podAnnotations:
  prometheus.io/port: "15020"
  prometheus.io/scrape: "true"
  prometheus.io/path: /stats/prometheus
  inject.istio.io/templates: gateway
  sidecar.istio.io/inject: "true"
securityContext: {}
containerSecurityContext: {}
service:
  type: LoadBalancer
  clusterIP: ""
  selectorLabels: {}
  ports:
  - name: status-port
    port: 15021
    protocol: TCP
    targetPort: 15021
  - name: http2
    port: 80
    protocol: TCP
    targetPort: 80
  - name: https
    port: 443
    protocol: TCP
    targetPort: 443
  annotations: {}
  loadBalancerIP: ""
  loadBalancerSourceRanges: []
  externalTrafficPolicy: ""
  healthCheckNodePort: null
  externalIPs: []
  ipFamilyPolicy: ""
  ipFamilies: []
  allocateLoadBalancerNodePorts: null
  loadBalancerClass: ""
  internalTrafficPolicy: ""
resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    cpu: 2000m
    memory: 1024Mi
autoscaling:
  enabled: true
  minReplicas: 1
  maxReplicas: 5
  targetCPUUtilizationPercentage: 80
  targetMemoryUtilizationPercentage: {}
  autoscaleBehavior: {}
env: {}
envVarFrom: []
strategy: {}
minReadySeconds: null
readinessProbe: {}
labels:
  istio.io/dataplane-mode: none
annotations: {}
nodeSelector: {}
tolerations: []
topologySpreadConstraints: []
affinity: {}
networkGateway: ""
networkGatewayPorts:
  status-port:
    port: 15021
    targetPort: 15021
  tls:
    port: 15443
    targetPort: 15443
  tls-istiod:
    port: 15012
    targetPort: 15012
  tls-webhook:
    port: 15017
    targetPort: 15017
imagePullPolicy: ""
imagePullSecrets: []
podDisruptionBudget: {}
dnsPolicy: ""
dnsConfig: {}
terminationGracePeriodSeconds: 30
volumes: []
volumeMounts: []
initContainers: []
additionalContainers: []
priorityClassName: ""
lifecycle: {}
ownerName: ""
global:
  networkPolicy:
    enabled: false
defaultRevision: ""
pilot: {}
profile: ""
compatibilityVersion: ""
platform: ""
{{- end }}

{{/* Apply an overlay where values still hold their defaults (recursive). */}}
{{- define "gateway.overlay" -}}
{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "gateway.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Lift global.* onto the chart keys (see src/charts/gateway/helpers.ts). */}}
{{- define "gateway.values" -}}
{{- if not (hasKey .Values "__effectiveValues") }}
{{- $defaults := include "gateway.defaults" . | fromYaml }}
{{- with .Values.global }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" (omit . "global") "defaults" $defaults) }}
{{- end }}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
{{- $_ := set .Values "__effectiveValues" true }}
{{- end }}
{{- end }}

{{/* Resource requirements without empty entries. */}}
{{- define "gateway.resources" -}}
{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* Ports of the gateway Service. */}}
{{- define "gateway.servicePorts" -}}
{{- $ports := .Values.service.ports }}
{{- if .Values.networkGateway }}
{{- $ports = list }}
{{- range $name, $target := dict "status-port" 15021 "tls" 15443 "tls-istiod" 15012 "tls-webhook" 15017 }}
{{- $port := index $.Values.networkGatewayPorts $name | required (printf "networkGatewayPorts.%s is required when networkGateway is set" $name) }}
{{- $ports = append $ports (dict "name" $name "port" $port.port "targetPort" ($port.targetPort | default $target) "protocol" ($port.protocol | default "TCP")) }}
{{- end }}
{{- end }}
{{- toYaml ($ports | default list) }}
{{- end }}

{{/* imagePullSecrets entries of the pod. */}}
{{- define "gateway.imagePullSecrets" -}}
{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}
{{- end }}
