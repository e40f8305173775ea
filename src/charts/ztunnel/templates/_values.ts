/**
 * `_values.tpl`: the effective values every ztunnel template starts from (`ztunnel.values`),
 * the overlay it is built with, and the selected profile.
 */
import { helperFile } from '../../../helm';
import { profileHelper, profileOverlayLines } from '../../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper } from '../../common/values-helpers';

/**
 * The effective values, computed in place before any template reads them, each step filling
 * only values that still hold their chart default (so the user's top-level keys always win):
 * 1. `global.*` lifted onto the chart's keys, as upstream's chart flattens globals:
 *    `--set global.hub=x` sets hub, `global.platform=openshift` sets platform.
 * 2. Keys under `_internal_defaults_do_not_set` (values files copied from upstream's values.yaml).
 * 3. The profile, compatibility version and platform overlays (files/profile-*.yaml). Upstream
 *    applies its profile under `global.*` too.
 * The one edge case: a key set explicitly to its default value counts as unset, so a different
 * global value or a profile wins over it (upstream keeps the top-level one).
 */
const VALUES = `${DEFAULTS_LINE}
{{- with .Values.global }}
{{- include "ztunnel.overlay" (dict "target" $.Values "overlay" (omit . "global") "defaults" $defaults) }}
{{- end }}
{{- with index .Values "_internal_defaults_do_not_set" }}
{{- include "ztunnel.overlay" (dict "target" $.Values "overlay" . "defaults" $defaults) }}
{{- end }}
${profileOverlayLines('ztunnel')}`;

export const VALUES_HELPERS = helperFile(__filename, [
  overlayHelper('ztunnel'),
  profileHelper('ztunnel'),
  effectiveValuesHelper('ztunnel', 'The effective values: global.* lifted onto the chart keys, then the profile (see src/charts/ztunnel/templates/_values.ts).', VALUES),
]);
