/** `_names.tpl`: the name every gateway object takes, and its ServiceAccount's. */
import { helperFile } from '../../../helm';

/** Upstream's naming: the RELEASE-NAME placeholder (old `helm template` runs) counts as no release name. */
const NAME = `{{- $release := ternary "" .Release.Name (eq .Release.Name "RELEASE-NAME") }}
{{- .Values.name | default $release | default "istio-ingressgateway" }}`;

const SERVICE_ACCOUNT_NAME = `{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "gateway.name" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}`;

export const NAME_HELPERS = helperFile(__filename, [
  { name: 'gateway.name', doc: 'Name of every object: name, else the release name, else istio-ingressgateway.', body: NAME },
  { name: 'gateway.serviceAccountName', doc: 'The ServiceAccount the gateway pods run as.', body: SERVICE_ACCOUNT_NAME },
]);
