/**
 * `_injector.tpl`: what the injector ConfigMap holds (the configuration and the values istiod's
 * injection templates read) and the webhook stanza the main and every revision-tag webhook share.
 */
import * as k8s from '../../../helm/kube';
import { HelperDefinition, Release, defineHelper, helperFile, ifSet, spread, tplName, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName } from '../names';

/** The injector ConfigMap's two keys; `templateNames` are the injection templates the chart ships. */
export function injectorHelpers(templateNames: string[]): HelperDefinition[] {
  const names = templateNames.map((n) => JSON.stringify(n)).join(' ');
  return helperFile(__filename, [
    {
      name: 'istiod.injectorConfig',
      doc: 'The injector configuration istiod reads (key config).',
      body: `{{- $webhook := .Values.sidecarInjectorWebhook }}
defaultTemplates: {{ $webhook.defaultTemplates | default (list "sidecar") | toJson }}
policy: {{ .Values.global.proxy.autoInject }}
alwaysInjectSelector: {{ $webhook.alwaysInjectSelector | default list | toJson }}
neverInjectSelector: {{ $webhook.neverInjectSelector | default list | toJson }}
injectedAnnotations: {{ $webhook.injectedAnnotations | default dict | toJson }}
templates:
{{- range $name := list ${names} }}
{{- if not (hasKey $webhook.templates $name) }}
  {{ $name }}: |
    {{- $.Files.Get (printf "files/injection/%s.yaml" $name) | nindent 4 }}
{{- end }}
{{- end }}
{{- with $webhook.templates }}
  {{- toYaml . | nindent 2 }}
{{- end }}`,
    },
    {
      name: 'istiod.injectorValues',
      doc: 'The values the injection templates read (key values), as JSON.',
      body: `{{- $values := pick .Values "global" "sidecarInjectorWebhook" "revision" }}
{{- $_ := set $values "pilot" (pick .Values.pilot "cni" "env") }}
{{- $_ := set $values "gateways" (pick .Values.gateways "securityContext" "seccompProfile") }}
{{- toPrettyJson $values }}`,
    },
  ]);
}

/**
 * What every injection webhook of this revision shares, the main configuration's and each
 * revision tag's: where the apiserver sends pods (this revision's istiod, or
 * istiodRemote.injectionURL) and which requests (pod creation).
 */
export const INJECTOR_WEBHOOK = defineHelper(
  'istiod.injectorWebhook',
  "Where and for which requests the apiserver calls this revision's injector (shared by the main and every tag webhook).",
  {
    clientConfig: {
      ...spread(
        when(V.istiodRemote.injectionURL, { url: V.istiodRemote.injectionURL }, {
          service: { name: istiodName, namespace: Release.namespace, path: V.istiodRemote.injectionPath, port: 443 },
        }),
      ),
      caBundle: ifSet(V.istiodRemote.injectionCABundle),
    } as k8s.WebhookClientConfig,
    sideEffects: 'None',
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    failurePolicy: 'Fail',
    reinvocationPolicy: V.sidecarInjectorWebhook.reinvocationPolicy,
    admissionReviewVersions: ['v1'],
  },
  { file: tplName(__filename) },
);
