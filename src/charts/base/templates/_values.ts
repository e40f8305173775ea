/** `_values.tpl`: the effective values every base template starts from, and the selected profile. */
import { helperFile } from '../../../helm';
import { profileHelper, profileOverlayLines } from '../../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper } from '../../common/values-helpers';

/**
 * The effective values: the selected profile, compatibility version and platform overlays
 * (files/profile-*.yaml) applied wherever a value still holds its chart default, as in the
 * other charts, so a parent chart's global.profile reaches base too.
 */
const BASE_VALUES = `${DEFAULTS_LINE}
${profileOverlayLines('base')}`;

export const VALUES_HELPERS = helperFile(__filename, [
  overlayHelper('base'),
  profileHelper('base'),
  effectiveValuesHelper('base', 'The effective values: the profile applied where a value holds its default (see src/charts/common/profiles.ts).', BASE_VALUES),
]);
