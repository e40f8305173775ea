/**
 * `_values.tpl`: the effective values every gateway template starts from (`gateway.values`),
 * the overlay it is built with, and the selected profile.
 */
import { helperFile } from '../../../helm';
import { profileHelper, profileOverlayLines } from '../../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper } from '../../common/values-helpers';

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

export const VALUES_HELPERS = helperFile(__filename, [
  overlayHelper('gateway'),
  profileHelper('gateway'),
  effectiveValuesHelper('gateway', 'The effective values: global.* lifted onto the chart keys, then the profile (see src/charts/gateway/templates/_values.ts).', VALUES),
]);
