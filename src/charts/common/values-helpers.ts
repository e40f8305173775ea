/**
 * What every chart needs in its own namespace (`<chart>.x`): the line that reads the chart
 * defaults shipped as data, an overlay that only fills what still holds its default, and
 * resource requirements without empty entries.
 */
import { HelperDefinition, emitValue } from '../../helm';
import { DEFAULTS_FILE, Fields, Section, defaultsOf } from '../../values/model';

export { DEFAULTS_FILE };

/** The text of DEFAULTS_FILE for a values model. */
export function defaultsFile(model: Section<Fields>): string {
  return emitValue(defaultsOf(model)).join('\n') + '\n';
}

/**
 * The line that reads the chart's values.yaml defaults into `$defaults`, to tell what the user
 * changed. Helm gives templates the defaults already merged with the user's values, so the
 * chart reads its own copy, shipped as data (values.yaml itself is not readable through .Files).
 */
export const DEFAULTS_LINE = `{{- $defaults := .Files.Get "${DEFAULTS_FILE}" | fromYaml }}`;

/**
 * `<chart>.overlay` (dict "target" "overlay" "defaults"): set each overlay leaf on the target
 * where the target still holds the default, recursing into maps. Helm gives templates the
 * defaults and the user's values already merged; "still the default" is how a chart can put
 * something (a profile, lifted globals) between the two. Null overlay values are skipped.
 */
export function overlayHelper(chart: string): HelperDefinition {
  return {
    name: `${chart}.overlay`,
    doc: 'Apply an overlay where values still hold their defaults (recursive).',
    body: `{{- $defaults := .defaults | default dict }}
{{- range $key, $value := .overlay }}
{{- if not (kindIs "invalid" $value) }}
{{- $current := index $.target $key }}
{{- $default := index $defaults $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "${chart}.overlay" (dict "target" $current "overlay" $value "defaults" (ternary $default dict (kindIs "map" $default))) }}
{{- else if eq (toJson $current) (toJson $default) }}
{{- $_ := set $.target $key (deepCopy $value) }}
{{- end }}
{{- end }}
{{- end }}`,
  };
}

/** `<chart>.resources`: limits/requests without empty entries (`--set x.limits.cpu=null` removes one); nothing when all are empty. */
export function resourcesHelper(chart: string): HelperDefinition {
  return {
    name: `${chart}.resources`,
    doc: 'Resource requirements without empty entries.',
    body: `{{- $out := dict }}
{{- range $kind := list "limits" "requests" }}
{{- $set := dict }}
{{- range $name, $quantity := (index $ $kind) }}{{ if $quantity }}{{ $_ := set $set $name $quantity }}{{ end }}{{ end }}
{{- if $set }}{{ $_ := set $out $kind $set }}{{ end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}`,
  };
}

/** Marks `.Values` once the effective values are computed (left out of the values dumps). */
export const EFFECTIVE_MARK = '__effectiveValues';

/**
 * `<chart>.values`: compute the effective values in place. Every template includes it first,
 * so the order Helm runs templates in does not matter; the body runs once per render.
 */
export function effectiveValuesHelper(chart: string, doc: string, body: string): HelperDefinition {
  return {
    name: `${chart}.values`,
    doc,
    body: `{{- if not (hasKey .Values "${EFFECTIVE_MARK}") }}
${body}
{{- $_ := set .Values "${EFFECTIVE_MARK}" true }}
{{- end }}`,
  };
}

/** `<chart>.imagePullSecrets`: `{name: x}` entries as they are; bare names (upstream's and global.imagePullSecrets' form) become `{name: x}`. */
export function imagePullSecretsHelper(chart: string, doc: string): HelperDefinition {
  return {
    name: `${chart}.imagePullSecrets`,
    doc,
    body: `{{- $out := list }}
{{- range .Values.imagePullSecrets }}
{{- $out = append $out (ternary (dict "name" .) . (kindIs "string" .)) }}
{{- end }}
{{- toYaml $out }}`,
  };
}
