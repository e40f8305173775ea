/**
 * The profile selectors every chart accepts, as upstream's charts do (`--set profile=demo`).
 * Names are checked by the schema so a typo lists the valid ones.
 */
import { field } from './model';

export const PROFILES = ['default', 'demo', 'minimal', 'remote', 'empty', 'preview', 'ambient', 'stable'] as const;
export const COMPATIBILITY_VERSIONS = ['1.25', '1.26', '1.27', '1.28', '1.29', '1.30'] as const;
export const PLATFORMS = ['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'] as const;

export const profileSelectors = {
  profile: field('', 'Installation profile to apply under your values (global.profile works too).', {
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
};
