/**
 * `_values.tpl`: the effective values every istiod template starts from (`istiod.values`), the
 * overlay and profile it is built with, and the effective values as JSON for the values ConfigMap.
 */
import { helperFile } from '../../../helm';
import { profileHelper, profileOverlayLines } from '../../common/profiles';
import { DEFAULTS_LINE, EFFECTIVE_MARK, effectiveValuesHelper, overlayHelper } from '../../common/values-helpers';

/**
 * The effective values, computed in place before any template reads them:
 * 1. Upstream's charts accept every Deployment key both as `pilot.X` and as top-level `X`
 *    (pilot.X wins). A top-level X is folded into pilot.X while pilot.X still holds the chart
 *    default; maps are merged so the defaults the user did not touch stay.
 * 2. The selected profile, compatibility version and platform overlays (files/profile-*.yaml,
 *    generated from src/profiles/index.ts) are applied wherever a value still equals the chart
 *    default, which puts them between the chart defaults and the user's values without hiding
 *    the defaults from values.yaml.
 * The one edge case of both: a value the user sets explicitly to its chart default counts as
 * not set (pilot.X set to its default loses to a top-level X; a profile overrides it).
 */
const VALUES = `${DEFAULTS_LINE}
{{- /* Top-level Deployment keys (upstream's second spelling) fold into pilot.X while pilot.X still holds its default. */}}
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
${profileOverlayLines('istiod')}`;

export const VALUES_HELPERS = helperFile(__filename, [
  effectiveValuesHelper('istiod', 'The effective values: legacy top-level keys and profiles (see src/charts/istiod/templates/_values.ts).', VALUES),
  overlayHelper('istiod'),
  profileHelper('istiod'),
  {
    name: 'istiod.mergedValues',
    doc: 'The effective values as JSON.',
    body: `{{- toPrettyJson (omit .Values "${EFFECTIVE_MARK}") }}`,
  },
]);
