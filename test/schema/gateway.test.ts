/**
 * values.schema.json of the gateway chart, enforced by real helm: bad values fail naming the
 * key; values written for upstream's gateway chart, and our egress example, pass.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { HELM_MAJORS, template, templateError, chart } from '../support/helm';
import { upstreamChart } from '../support/upstream';

const GATEWAY = chart('gateway');

/** [description, values, text the error must contain] */
const BAD: Array<[string, Record<string, unknown>, string]> = [
  ['an unknown top-level key', { foo: 'bar' }, "additional properties 'foo' not allowed"],
  ['kind outside its enum', { kind: 'StatefulSet' }, 'kind'],
  ['service.ports null (the defaults are dropped, so it is empty)', { service: { ports: null } }, 'service.ports'],
  ['service.ports not a list', { service: { ports: 'http' } }, 'ports'],
  ['a service port that is not a number', { service: { ports: [{ name: 'http', port: 'eighty' }] } }, 'port'],
  ['a misspelt key in a service port', { service: { ports: [{ name: 'http', port: 80, targtPort: 8080 }] } }, 'targtPort'],
  ['service.type outside its enum', { service: { type: 'Internal' } }, 'type'],
  ['a misspelt key under service', { service: { loadBalancerIp: '10.0.0.1' } }, 'loadBalancerIp'],
  ['ipFamilyPolicy outside its enum', { service: { ipFamilyPolicy: 'DualStack' } }, 'ipFamilyPolicy'],
  ['ipFamilies entry outside its enum', { service: { ipFamilies: ['IPv5'] } }, 'ipFamilies'],
  ['selectorLabels with a non-string value', { service: { selectorLabels: { tier: 1 } } }, 'selectorLabels'],
  ['externalTrafficPolicy outside its enum', { service: { externalTrafficPolicy: 'Nearest' } }, 'externalTrafficPolicy'],
  ['replicaCount not an integer', { replicaCount: 'three' }, 'replicaCount'],
  ['a misspelt key under autoscaling', { autoscaling: { enable: false } }, 'enable'],
  ['minReplicas not an integer', { autoscaling: { minReplicas: 'two' } }, 'minReplicas'],
  ['a memory target that is a map', { autoscaling: { targetMemoryUtilizationPercentage: { value: 70 } } }, 'targetMemoryUtilizationPercentage'],
  ['rbac.enabled not a boolean', { rbac: { enabled: 'yes' } }, 'enabled'],
  ['a misspelt key under serviceAccount', { serviceAccount: { nmae: 'x' } }, 'nmae'],
  ['imagePullPolicy outside its enum', { imagePullPolicy: 'Sometimes' }, 'imagePullPolicy'],
  ['a misspelt PDB key', { podDisruptionBudget: { minAvaliable: 1 } }, 'minAvaliable'],
  ['unhealthyPodEvictionPolicy outside its enum', { podDisruptionBudget: { unhealthyPodEvictionPolicy: 'Never' } }, 'unhealthyPodEvictionPolicy'],
  ['a network gateway port without port', { networkGatewayPorts: { extra: { targetPort: 15000 } } }, 'port'],
  ['an envVarFrom entry without valueFrom', { envVarFrom: [{ name: 'X' }] }, 'valueFrom'],
  ['annotations with a map value', { annotations: { a: { b: 'c' } } }, 'annotations'],
  ['minReadySeconds not an integer', { minReadySeconds: 'ten' }, 'minReadySeconds'],
  ['terminationGracePeriodSeconds as a duration', { terminationGracePeriodSeconds: '30s' }, 'terminationGracePeriodSeconds'],
  ['dnsPolicy outside its enum', { dnsPolicy: 'Custom' }, 'dnsPolicy'],
  ['a misspelt key under resources', { resources: { request: { cpu: '1' } } }, 'request'],
  ['an unknown profile', { profile: 'tiny' }, 'profile'],
  ['image keys, which the chart does not have (istiod injects the image)', { hub: 'docker.io/istio' }, 'hub'],
  ["upstream's retired defaults prefix", { defaults: { kind: 'DaemonSet' } }, 'defaults'],
];

/** Upstream's own defaults, as a user would copy them into a values file. */
function upstreamValuesFile(): Record<string, any> {
  return YAML.parse(readFileSync(join(upstreamChart('gateway'), 'values.yaml'), 'utf8'));
}

describe.each(HELM_MAJORS)('gateway values schema with helm %s', (major) => {
  test.each(BAD)('%s fails naming the key', (_what, values, key) => {
    expect(templateError(major, GATEWAY, { values })).toContain(key);
  });

  test("upstream's default values pass and render the default objects", () => {
    const objects = template(major, GATEWAY, { release: 'istio-ingressgateway', values: upstreamValuesFile()._internal_defaults_do_not_set }).objects;
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
  });

  test("upstream's values.yaml as it is (under _internal_defaults_do_not_set) passes, and its keys apply", () => {
    const file = upstreamValuesFile();
    file._internal_defaults_do_not_set.service.type = 'ClusterIP';
    const objects = template(major, GATEWAY, { values: file }).objects;
    expect(objects.find((o) => o.kind === 'Service').spec.type).toBe('ClusterIP');
  });

  test('values/egress-gateway.yaml passes', () => {
    const values = YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', 'egress-gateway.yaml'), 'utf8'));
    expect(template(major, GATEWAY, { release: 'istio-egressgateway', values }).objects.some((o) => o.kind === 'Service')).toBe(true);
  });

  test('keys of the other Istio charts and upstream leftovers are accepted', () => {
    const values = {
      profile: 'demo',
      revision: 'canary',
      defaultRevision: 'canary',
      pilot: { autoscaleEnabled: false },
      runAsRoot: false,
      unprivilegedPort: 'auto',
      ownerName: 'me',
    };
    expect(template(major, GATEWAY, { values }).objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });

  test('as a subchart: enabled and unknown global keys are accepted', () => {
    const values = { enabled: true, global: { hub: 'docker.io/istio', tag: '1.31.4', meshID: 'mesh1', proxy: { privileged: false } } };
    expect(template(major, GATEWAY, { values }).objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });

  test('null for the keys upstream defaults to null, and int-or-string PDB values, pass', () => {
    const values = { replicaCount: null, minReadySeconds: null, readinessProbe: null, podDisruptionBudget: { maxUnavailable: '25%' }, service: { healthCheckNodePort: null } };
    expect(template(major, GATEWAY, { values }).objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
