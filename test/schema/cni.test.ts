/**
 * values.schema.json of the cni chart, enforced by real helm: upstream's own values.yaml passes
 * (at the top level and as it is, under _internal_defaults_do_not_set). The mistakes it refuses
 * are the invalid-values corpus (test/schema/invalid/cni/).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { HELM_MAJORS, chart, template } from '../support/helm';
import { upstreamChart } from '../support/upstream';

const CNI = chart('cni');

/** Upstream's own defaults, as a user would copy them into a values file. */
function upstreamValuesFile(): Record<string, any> {
  return YAML.parse(readFileSync(join(upstreamChart('cni'), 'values.yaml'), 'utf8'));
}

describe.each(HELM_MAJORS)('cni values schema with helm %s', (major) => {
  test("upstream's default values pass at the top level and render the default objects", () => {
    const values = upstreamValuesFile()._internal_defaults_do_not_set;
    // upstream's unreleased image defaults, replaced by its release process
    values.global.hub = 'docker.io/istio';
    values.global.tag = '1.31.4';
    const kinds = template(major, CNI, { release: 'istio-cni', values }).objects.map((o) => o.kind).sort();
    expect(kinds).toEqual(['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'ServiceAccount']);
  });

  test("upstream's values.yaml as it is (under _internal_defaults_do_not_set) passes, and its keys apply", () => {
    const file = upstreamValuesFile();
    file._internal_defaults_do_not_set.ambient.enabled = true;
    const objects = template(major, CNI, { values: file }).objects;
    expect(objects.find((o) => o.kind === 'ConfigMap').data.AMBIENT_ENABLED).toBe('true');
  });

  test('the same keys under the cni prefix pass, as istioctl-style values files write them', () => {
    // global is not one of the chart's keys (the prefix takes those)
    const { global: _global, ...keys } = upstreamValuesFile()._internal_defaults_do_not_set;
    const values = { cni: { ...keys, chained: false } };
    const objects = template(major, CNI, { values }).objects;
    expect(objects.find((o) => o.kind === 'ConfigMap').data.CHAINED_CNI_PLUGIN).toBe('false');
  });
});
