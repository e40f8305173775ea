/**
 * values.schema.json of the base chart, enforced by real helm: every bad value fails with a
 * message that names it; values written for upstream's base chart pass.
 */
import { HELM_MAJORS, chart, template, templateError } from '../support/helm';

const BASE = chart('base');

/** [description, values, text the error must contain] */
const BAD: Array<[string, Record<string, unknown>, string]> = [
  ['misspelt key under base', { base: { excludedCRD: ['x.y'] } }, 'excludedCRD'],
  ['misspelt top-level key', { defaultRevison: 'x' }, 'defaultRevison'],
  ['misspelt key under experimental', { experimental: { stableValidation: true } }, 'stableValidation'],
  ['resourceScope outside its enum', { global: { resourceScope: 'everything' } }, 'resourceScope'],
  ['excludedCRDs not a list', { base: { excludedCRDs: 'wasmplugins.extensions.istio.io' } }, 'excludedCRDs'],
  ['excludedCRDs entry not a CRD name', { base: { excludedCRDs: ['WasmPlugin'] } }, 'excludedCRDs'],
  ['enableCRDTemplates not a boolean', { base: { enableCRDTemplates: 'yes' } }, 'enableCRDTemplates'],
  ['validationFailurePolicy unknown', { base: { validationFailurePolicy: 'Open' } }, 'validationFailurePolicy'],
  ['unknown profile', { profile: 'tiny' }, 'profile'],
  ['defaultRevision not a string', { defaultRevision: 3 }, 'defaultRevision'],
  ['imagePullSecrets not a list', { global: { imagePullSecrets: 'regcred' } }, 'imagePullSecrets'],
];

describe.each(HELM_MAJORS)('base values schema with helm %s', (major) => {
  test.each(BAD)('%s fails naming the key', (_what, values, key) => {
    const err = templateError(major, BASE, { values });
    expect(err).toContain(key);
  });

  test('upstream-style values pass unchanged', () => {
    const values = {
      global: { imagePullSecrets: [], istioNamespace: 'istio-system', resourceScope: 'all', enableReaderRBAC: true },
      base: { excludedCRDs: [], enableCRDTemplates: true, validationURL: '', validationCABundle: '', enableIstioConfigCRDs: true },
      defaultRevision: 'default',
      experimental: { stableValidationPolicy: false },
    };
    expect(template(major, BASE, { values }).objects).toHaveLength(17);
  });

  test('as a subchart: unknown global keys and `enabled` are accepted', () => {
    const values = { enabled: true, global: { hub: 'docker.io/istio', tag: '1.31.4', meshID: 'mesh1', proxy: { privileged: false } } };
    expect(template(major, BASE, { values }).objects).toHaveLength(17);
  });

  test('upstream profile selectors are accepted', () => {
    expect(template(major, BASE, { set: ['profile=demo', 'global.profile=demo'] }).objects).toHaveLength(17);
  });
});
