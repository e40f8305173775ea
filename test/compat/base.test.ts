/**
 * Differential check against upstream's base chart of the pinned release: the same values
 * give the same objects (names, kinds, namespaces, webhooks, labels, CRD specs), equal field by
 * field except the intended differences listed here, each with its reason.
 */
import { STABLE_POLICY_IN_OUR_CEL, compareWithUpstream } from '../support/compat';

compareWithUpstream({
  chart: 'base',
  release: 'istio-base',
  variants: [
    ['defaults', {}],
    ['a canary default revision', { set: ['defaultRevision=canary'] }],
    ['no default revision', { set: ['defaultRevision='] }],
    ['excluded CRDs', { set: ['base.excludedCRDs={wasmplugins.extensions.istio.io,envoyfilters.networking.istio.io}'] }],
    ['cluster scope', { set: ['global.resourceScope=cluster'] }],
    ['namespace scope', { set: ['global.resourceScope=namespace'] }],
    ['no reader RBAC', { set: ['global.enableReaderRBAC=false'] }],
    ['a custom reader account', { set: ['global.readerServiceAccount.name=mine'] }],
    ['a validation URL and CA', { set: ['base.validationURL=https://x:15017/validate', 'base.validationCABundle=Q0E='] }],
    ['pull secrets and another namespace', { set: ['global.imagePullSecrets={a}', 'global.istioNamespace=mesh'] }],
    ['an upgrade', { extraArgs: ['--is-upgrade'] }],
    ['profile demo', { set: ['profile=demo'] }],
    ['profile stable', { set: ['profile=stable'] }],
    ['the stable validation policy', { set: ['experimental.stableValidationPolicy=true', 'defaultRevision=canary'] }],
  ],
  intended: {
    'the stable policy in our own CEL': STABLE_POLICY_IN_OUR_CEL,
    'labels on the policy binding': {
      reason: 'our policy binding carries the same labels as its policy; upstream gives it none',
      objects: /^ValidatingAdmissionPolicyBinding\//,
      align: (ours, theirs) => [withoutLabels(ours), withoutLabels(theirs)],
    },
  },
});

function withoutLabels(o: any): any {
  return { ...o, metadata: { ...o.metadata, labels: undefined } };
}
