/**
 * ConfigMap `istio-sidecar-injector[-rev]`, which istiod reads at start-up to inject pods:
 * `config` (policy, selectors, injected annotations, default and named templates) and `values`
 * (the part of the chart values the templates read, as JSON).
 * The templates themselves ship as chart files (files/injection/<name>.yaml) and are read with
 * .Files.Get: they are Go templates istiod executes, so Helm must not interpret them.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, HelperDefinition, Release, and, includeText, not } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, IstiodTemplate, injectorConfigMapName } from '../names';

export function injectorHelpers(templateNames: string[]): HelperDefinition[] {
  const names = templateNames.map((n) => JSON.stringify(n)).join(' ');
  return [
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
  ];
}

export class InjectorConfigMap extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'istiod-injector-configmap', { condition: and(namespaced, not(V.global.omitSidecarInjectorConfigMap)) });
    new HelmObject(this, 'injector', {
      gvk: k8s.KubeConfigMap.GVK,
      metadata: { name: injectorConfigMapName, namespace: Release.namespace, labels: pilotLabels() },
      body: { data: { values: includeText('istiod.injectorValues'), config: includeText('istiod.injectorConfig') } },
    });
  }
}
