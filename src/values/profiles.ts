/**
 * The profile selectors every chart accepts, as upstream's charts do (`--set profile=demo`),
 * and `enabled`. The names come from the typed profiles (src/profiles/index.ts) and are
 * checked by the schema, so a typo lists the valid ones; validate.yaml checks the
 * `global.*` spellings, which open `global` sections do not.
 */
import { COMPATIBILITY_LIST, PLATFORM_LIST, chartProfileNames } from '../profiles';
import { field, unsetField } from './model';

/** Every profile name a chart accepts, aliases (external) included. */
export const PROFILES: readonly string[] = chartProfileNames();
export const COMPATIBILITY_VERSIONS: readonly string[] = COMPATIBILITY_LIST.map((c) => c.name);
export const PLATFORMS: readonly string[] = PLATFORM_LIST.map((p) => p.name);

export const profileSelectors = {
  profile: field('', 'Installation profile to apply under your values (global.profile works too); external is remote.', {
    enum: ['', ...PROFILES],
  }),
  compatibilityVersion: field('', 'Keep the behaviour defaults of an earlier Istio minor release.', {
    type: ['string', 'number'],
    // --set compatibilityVersion=1.28 arrives as a number; 1.30 would be 1.3, so quote that one
    schema: {
      anyOf: [
        { type: 'string', enum: ['', ...COMPATIBILITY_VERSIONS] },
        { type: 'number', enum: COMPATIBILITY_VERSIONS.map(Number).filter((n) => String(n).length === 4) },
      ],
    },
  }),
  platform: field('', 'Kubernetes platform adjustments (global.platform works too).', {
    enum: ['', ...PLATFORMS],
  }),
  enabled: unsetField<boolean | null>(
    'Whether to install this chart: unset follows the profile (a profile whose components leave the\nchart out refuses to render it); true installs it under any profile, e.g. a gateway under minimal;\nfalse refuses under every profile. A parent chart may use it as its subchart condition.',
    { type: ['boolean', 'null'] },
  ),
};
