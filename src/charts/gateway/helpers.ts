/** The gateway chart's named templates (`_helpers.tpl`). */
import { HelperDefinition } from '../../helm';
import { labelsHelper } from '../common/labels';
import { profileHelper, profileOverlayLines } from '../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper, resourcesHelper } from '../common/values-helpers';

/**
 * The effective values, computed in place before any template reads them, lowest precedence
 * applied last (each step only fills values that still hold their chart default):
 * 1. Upstream's gateway chart applies `global.*` over its defaults before the user's top-level
 *    values ("flatten globals"): `--set global.imagePullPolicy=Always` sets imagePullPolicy
 *    unless imagePullPolicy itself is set. Maps are walked key by key, so `global.service.type`
 *    and `service.annotations` combine.
 * 2. Keys under `_internal_defaults_do_not_set` (values files copied from upstream's
 *    values.yaml) are applied the same way, after global, so global wins over them as
 *    upstream's precedence says.
 * 3. The selected profile, compatibility version and platform overlays (files/profile-*.yaml,
 *    generated from src/profiles/index.ts). They come last, so they sit under everything the
 *    user wrote, `global.*` and `_internal_defaults_do_not_set` included (upstream puts its
 *    profile above `_internal_defaults_do_not_set`, which there holds the chart defaults).
 * Helm hands templates the defaults and the user's values already merged, so a key counts as
 * "not set" while it still equals the chart default. The one edge case: a key set explicitly
 * to its default value counts as unset, so a different global value or a profile wins over it
 * (upstream keeps the top-level one).
 */
const VALUES = `${DEFAULTS_LINE}
{{- /* global.* lifted onto the chart keys the user left at their defaults. */}}
{{- with .Values.global }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" (omit . "global") "defaults" $defaults) }}
{{- end }}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "gateway.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
${profileOverlayLines('gateway')}`;

/** Upstream's naming: the RELEASE-NAME placeholder (old `helm template` runs) counts as no release name. */
const NAME = `{{- $release := ternary "" .Release.Name (eq .Release.Name "RELEASE-NAME") }}
{{- .Values.name | default $release | default "istio-ingressgateway" }}`;

/** labels.app / labels.istio replace the derived values; set to "" they give an empty label, as upstream's. */
const SELECTOR_LABELS = `app: {{ index .Values.labels "app" | quote | default (include "gateway.name" .) }}
istio: {{ index .Values.labels "istio" | quote | default (include "gateway.name" . | trimPrefix "istio-") }}`;

/** Label values must be strings: numbers and booleans in `labels` are written quoted. */
const USER_LABELS = `{{- $out := dict }}
{{- range $key, $value := .Values.labels }}
{{- if not (has $key (list "app" "istio")) }}{{ $_ := set $out $key (toString $value) }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}`;

const SERVICE_ACCOUNT_NAME = `{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "gateway.name" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}`;


/**
 * A network gateway exposes the four cross-network ports (each must be configured; targetPort
 * and protocol have defaults); any other gateway exposes service.ports. A YAML list, read by the
 * Service and by the NetworkPolicy (which admits exactly these target ports).
 */
const SERVICE_PORTS = `{{- $ports := .Values.service.ports }}
{{- if .Values.networkGateway }}
{{- $ports = list }}
{{- range $name, $target := dict "status-port" 15021 "tls" 15443 "tls-istiod" 15012 "tls-webhook" 15017 }}
{{- $port := index $.Values.networkGatewayPorts $name | required (printf "networkGatewayPorts.%s is required when networkGateway is set" $name) }}
{{- $ports = append $ports (dict "name" $name "port" $port.port "targetPort" ($port.targetPort | default $target) "protocol" ($port.protocol | default "TCP")) }}
{{- end }}
{{- end }}
{{- toYaml ($ports | default list) }}`;

/** `{name: x}` entries as they are; bare names (global.imagePullSecrets style) become `{name: x}`. */
const IMAGE_PULL_SECRETS = `{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}`;

export function gatewayHelpers(): HelperDefinition[] {
  return [
    labelsHelper('gateway'),
    { name: 'gateway.name', doc: 'Name of every object: name, else the release name, else istio-ingressgateway.', body: NAME },
    { name: 'gateway.selectorLabels', doc: 'app and istio labels the gateway is selected by.', body: SELECTOR_LABELS },
    { name: 'gateway.userLabels', doc: 'The labels value without app and istio, values as strings.', body: USER_LABELS },
    { name: 'gateway.serviceAccountName', doc: 'The ServiceAccount the gateway pods run as.', body: SERVICE_ACCOUNT_NAME },
    overlayHelper('gateway'),
    profileHelper('gateway'),
    effectiveValuesHelper('gateway', 'The effective values: global.* lifted onto the chart keys, then the profile (see src/charts/gateway/helpers.ts).', VALUES),
    resourcesHelper('gateway'),
    { name: 'gateway.servicePorts', doc: 'Ports of the gateway Service.', body: SERVICE_PORTS },
    { name: 'gateway.imagePullSecrets', doc: 'imagePullSecrets entries of the pod.', body: IMAGE_PULL_SECRETS },
  ];
}
