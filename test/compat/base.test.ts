/**
 * Differential check against upstream's base chart of the pinned release: the same values
 * give the same objects (names, kinds, namespaces, webhooks, labels, CRD specs).
 */
import { HelmOptions, chart, identities, template } from '../support/helm';
import { upstreamChart } from '../support/upstream';

const VARIANTS: Array<[string, HelmOptions]> = [
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
];

/**
 * Differences we mean to have, each with its reason; everything else must be equal.
 * - The stable policy's CEL is our own (same rules, plus a message per rule), so its
 *   validations and variables are compared by the cluster tests, not here.
 * - Our policy binding carries the same labels as the policy; upstream's has none.
 */
function withoutIntendedDifferences(o: any): any {
  if (o.kind === 'ValidatingAdmissionPolicy') return { ...o, spec: { ...o.spec, validations: undefined, variables: undefined } };
  if (o.kind === 'ValidatingAdmissionPolicyBinding') return { ...o, metadata: { ...o.metadata, labels: undefined } };
  return o;
}

/** Objects keyed by identity; CRDs reduced to what the contract is (spec, labels, annotations). */
function normalise(objects: any[]): Record<string, unknown> {
  return Object.fromEntries(objects.map((o) => [identities([o])[0], o]));
}

describe.each(VARIANTS)('base chart vs upstream: %s', (_name, options) => {
  const ours = template('v4', chart('base'), { release: 'istio-base', ...options }).objects;
  const theirs = template('v4', upstreamChart('base'), { release: 'istio-base', ...options }).objects;

  test('the same objects (kind, namespace, name)', () => {
    expect(identities(ours)).toEqual(identities(theirs));
  });

  test('each object is equal field by field, apart from chart name and version labels', () => {
    const stripChartLabels = (o: any) => {
      o = withoutIntendedDifferences(o);
      if (!o.metadata.labels) return o;
      const labels = { ...o.metadata.labels };
      delete labels['helm.sh/chart'];
      delete labels['app.kubernetes.io/version'];
      return { ...o, metadata: { ...o.metadata, labels } };
    };
    const a = normalise(ours.map(stripChartLabels));
    const b = normalise(theirs.map(stripChartLabels));
    for (const id of Object.keys(b)) expect([id, a[id]]).toEqual([id, b[id]]);
  });
});
