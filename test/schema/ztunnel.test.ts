/**
 * values.schema.json of the ztunnel chart, enforced by real helm: bad values fail naming the key;
 * upstream's own values.yaml passes, and every key of it is in our model with upstream's default
 * (upstream's values_types.proto types `ztunnel` as an untyped Value, so its values.yaml is the
 * only typed statement of the chart's keys there is).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { HELM_MAJORS, template, templateError, chart } from '../support/helm';
import { upstreamChart } from '../support/upstream';
import { ISTIO_HUB, ISTIO_VERSION } from '../../src/versions';
import { defaultsOf } from '../../src/values/model';
import { ztunnelValues } from '../../src/values/ztunnel';

const ZTUNNEL = chart('ztunnel');

/** [description, values, text the error must contain] */
const BAD: Array<[string, Record<string, unknown>, string]> = [
  ['an unknown top-level key', { hostNetwork: true }, "additional properties 'hostNetwork' not allowed"],
  ['resourceScope outside its enum', { resourceScope: 'node' }, 'resourceScope'],
  ['variant outside its enum', { variant: 'alpine' }, 'variant'],
  ['a misspelt key under peerCaCrl', { peerCaCrl: { enable: true } }, 'enable'],
  ['resourceQuotas.pods as words', { resourceQuotas: { pods: 'lots' } }, 'pods'],
  ['a misspelt key under multiCluster', { multiCluster: { name: 'c1' } }, 'name'],
  ['logAsJson not a boolean', { logAsJson: 'yes' }, 'logAsJson'],
  ['env values that are maps', { env: { X: { a: 1 } } }, 'X'],
  ['a misspelt key under resources', { resources: { limit: { cpu: '1' } } }, 'limit'],
  ['an unknown platform', { platform: 'eks' }, 'platform'],
  ["upstream's retired defaults prefix", { defaults: { hub: 'x' } }, 'defaults'],
];

/** Upstream's values.yaml, as a user would copy it. */
const upstreamValuesFile = (): Record<string, any> => YAML.parse(readFileSync(join(upstreamChart('ztunnel'), 'values.yaml'), 'utf8'));

test("every key of upstream's values.yaml is in our model, with upstream's default (the image excepted)", () => {
  const upstream = upstreamValuesFile()._internal_defaults_do_not_set;
  const ours = defaultsOf(ztunnelValues);
  const within = (o: any, shape: any): any =>
    shape && typeof shape === 'object' && !Array.isArray(shape) && Object.keys(shape).length
      ? Object.fromEntries(Object.keys(shape).map((k) => [k, within(o?.[k], shape[k])]))
      : o;
  // the release's image instead of upstream's development placeholder (see the compat test)
  expect(within(ours, upstream)).toEqual({ ...upstream, hub: ISTIO_HUB, tag: ISTIO_VERSION });
});

describe.each(HELM_MAJORS)('ztunnel values schema with helm %s', (major) => {
  test.each(BAD)('%s fails naming the key', (_what, values, key) => {
    expect(templateError(major, ZTUNNEL, { values })).toContain(key);
  });

  test("upstream's values.yaml as it is (under _internal_defaults_do_not_set) passes, and its keys apply", () => {
    const file = upstreamValuesFile();
    const objects = template(major, ZTUNNEL, { values: file }).objects;
    expect(objects.map((o) => o.kind).sort()).toEqual(['DaemonSet', 'ServiceAccount']);
    // its development image applies, as upstream's chart would render it
    expect(objects.find((o) => o.kind === 'DaemonSet').spec.template.spec.containers[0].image).toBe('registry.istio.io/testing/ztunnel:latest');
  });

  test("upstream's defaults given at the top level pass", () => {
    const objects = template(major, ZTUNNEL, { values: upstreamValuesFile()._internal_defaults_do_not_set }).objects;
    expect(objects.map((o) => o.kind).sort()).toEqual(['DaemonSet', 'ServiceAccount']);
  });

  test('keys of the other Istio charts, the ambient profile values and subchart keys are accepted', () => {
    const values = {
      enabled: true,
      defaultRevision: 'canary',
      pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
      trustedZtunnelNamespace: 'kube-system',
      meshConfig: { accessLogFile: '/dev/stdout', defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' }, holdApplicationUntilProxyStarts: true } },
      global: { hub: 'docker.io/istio', meshID: 'mesh1', proxy: { privileged: false } },
    };
    expect(template(major, ZTUNNEL, { values }).objects.some((o) => o.kind === 'DaemonSet')).toBe(true);
  });
});
