/**
 * values.schema.json of the istiod chart, enforced by real helm: bad values fail naming the
 * key; values written for upstream's istiod chart pass unchanged.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { HELM_MAJORS, chart, template, templateError } from '../support/helm';
import { upstreamChart } from '../support/upstream';
import { EVERY_PILOT_KEY } from '../support/values';

const ISTIOD = chart('istiod');

const BAD: Array<[string, Record<string, unknown>, string]> = [
  ['misspelt pilot key', { pilot: { autoscaleEnabeld: false } }, 'autoscaleEnabeld'],
  ['misspelt top-level key', { autoscaleMaxx: 3 }, 'autoscaleMaxx'],
  ['pilot key of the wrong type', { pilot: { autoscaleMin: 'two' } }, 'autoscaleMin'],
  ['top-level alias of the wrong type', { replicaCount: 'three' }, 'replicaCount'],
  ['misspelt key under sidecarInjectorWebhook', { sidecarInjectorWebhook: { enableNamespaceByDefault: true } }, 'enableNamespaceByDefault'],
  ['reinvocationPolicy outside its enum', { sidecarInjectorWebhook: { reinvocationPolicy: 'Sometimes' } }, 'reinvocationPolicy'],
  ['autoInject outside its enum', { global: { proxy: { autoInject: 'yes' } } }, 'autoInject'],
  ['misspelt key under istiodRemote', { istiodRemote: { injectionUrl: 'https://x' } }, 'injectionUrl'],
  ['revisionTags not a list', { revisionTags: 'prod' }, 'revisionTags'],
  ['an unsupported cert provider', { global: { pilotCertProvider: 'kubernetes' } }, 'pilotCertProvider'],
  ['an unknown profile', { profile: 'tiny' }, 'profile'],
  ['resourceScope outside its enum', { global: { resourceScope: 'both' } }, 'resourceScope'],
  ['misspelt key under telemetry.v2', { telemetry: { v2: { prometheus: { enable: true } } } }, 'enable'],
];

/** Upstream's own defaults, as a user would copy them into a values file. */
function upstreamDefaults(): Record<string, unknown> {
  const doc = YAML.parse(readFileSync(join(upstreamChart('istiod'), 'values.yaml'), 'utf8'));
  return doc._internal_defaults_do_not_set;
}

describe.each(HELM_MAJORS)('istiod values schema with helm %s', (major) => {
  test.each(BAD)('%s fails naming the key', (_what, values, key) => {
    expect(templateError(major, ISTIOD, { values })).toContain(key);
  });

  test("upstream's full default values file passes and renders", () => {
    const objects = template(major, ISTIOD, { values: upstreamDefaults() }).objects;
    expect(objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image).toBe('registry.istio.io/testing/pilot:latest');
  });

  test('every pilot key, at the top level and under pilot, passes', () => {
    const hasDeployment = (objects: any[]) => objects.some((o) => o.kind === 'Deployment');
    expect(hasDeployment(template(major, ISTIOD, { values: EVERY_PILOT_KEY }).objects)).toBe(true);
    expect(hasDeployment(template(major, ISTIOD, { values: { pilot: EVERY_PILOT_KEY } }).objects)).toBe(true);
  });

  test('as a subchart: unknown global keys and enabled are accepted', () => {
    const objects = template(major, ISTIOD, { values: { enabled: true, global: { someParentKey: 1 } } }).objects;
    expect(objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
