/**
 * `_values.tpl`: the effective values every cni template starts from (`cni.values`), the
 * overlay it is built with, and the selected profile.
 */
import { helperFile } from '../../../helm';
import { profileHelper, profileOverlayLines } from '../../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper } from '../../common/values-helpers';

/**
 * The effective values, computed in place before any template reads them:
 * 1. Keys under `_internal_defaults_do_not_set` (values files copied from upstream's
 *    values.yaml) fill the values the user left at their defaults.
 * 2. The selected profile, compatibility version and platform overlays (files/profile-*.yaml)
 *    fill what is still at its default, so they sit under everything the user wrote.
 *    (Upstream puts the `cni:` keys of its profiles above the user's top-level keys: there
 *    profile=ambient with ambient.enabled=false still enables ambient; here the user wins.)
 * 3. Keys under `cni` (upstream's prefix, which its chart lifts onto the top level last) are
 *    merged over everything, as there.
 * A top-level key set explicitly to its default value counts as unset, so a profile wins over
 * it; the same key under `cni` wins over the profile (`compatibilityVersion=1.27` with
 * `cni.ambient.reconcileIptablesOnStartup=true` turns reconciling back on).
 */
const VALUES = `${DEFAULTS_LINE}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "cni.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
${profileOverlayLines('cni')}
{{- with .Values.cni }}
{{- $_ := mustMergeOverwrite $.Values (deepCopy .) }}
{{- end }}`;

export const VALUES_HELPERS = helperFile(__filename, [
  overlayHelper('cni'),
  profileHelper('cni'),
  effectiveValuesHelper('cni', 'The effective values: the cni prefix lifted, then the profile (see src/charts/cni/templates/_values.ts).', VALUES),
]);
