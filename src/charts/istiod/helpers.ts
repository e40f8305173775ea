/** The istiod chart's named templates (`_helpers.tpl`). */
import { HelperDefinition, emitValue } from '../../helm';
import { defaultsOf } from '../../values/model';
import { istiodValues } from '../../values/istiod';
import { labelsHelper } from '../common/labels';

/**
 * Upstream's charts accept every Deployment key both as `pilot.X` and as top-level `X`
 * (pilot.X wins). Our values.yaml documents them under `pilot`; this helper folds a top-level
 * `X` into `pilot.X` when `pilot.X` still holds the chart default, merging maps so defaults
 * the user did not touch stay. It is idempotent, so every template includes it first and
 * the order Helm runs templates in does not matter.
 * The one edge case: `pilot.X` set explicitly to its default loses to a different top-level X.
 */
const VALUES = `{{- $defaults := include "istiod.pilotDefaults" . | fromYaml }}
{{- $pilot := .Values.pilot }}
{{- range $key, $default := $defaults }}
{{- if and (hasKey $.Values $key) (eq (toJson (index $pilot $key)) (toJson $default)) }}
{{- $top := index $.Values $key }}
{{- if and (kindIs "map" $top) (kindIs "map" $default) }}
{{- $_ := set $pilot $key (mustMergeOverwrite (deepCopy $default) $top) }}
{{- else }}
{{- $_ := set $pilot $key $top }}
{{- end }}
{{- end }}
{{- end }}`;

/** `limits`/`requests` with empty entries left out, so `--set pilot.resources.limits.cpu=null` removes one. */
const RESOURCES = `{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- toYaml $out }}`;

export function istiodHelpers(extra: HelperDefinition[] = []): HelperDefinition[] {
  return [
    labelsHelper('istiod'),
    {
      name: 'istiod.revisionSuffix',
      doc: '"-<revision>" for a revisioned install, empty for the default one.',
      body: '{{- if .Values.revision }}-{{ .Values.revision }}{{- end }}',
    },
    {
      name: 'istiod.namespaceSuffix',
      doc: '"-<namespace>" outside istio-system, so installs in several namespaces do not collide.',
      body: '{{- if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{- end }}',
    },
    { name: 'istiod.name', doc: 'Name of the Deployment, Service and ServiceAccount.', body: 'istiod{{ include "istiod.revisionSuffix" . }}' },
    {
      name: 'istiod.pilotDefaults',
      doc: 'The chart defaults of pilot.*, to tell what the user changed.',
      body: emitValue(defaultsOf((istiodValues.fields as any).pilot)).join('\n'),
    },
    { name: 'istiod.values', doc: 'Fold top-level Deployment keys into pilot.* (see src/charts/istiod/helpers.ts).', body: VALUES },
    { name: 'istiod.resources', doc: 'Resource requirements without empty entries.', body: RESOURCES },
    ...extra,
  ];
}
