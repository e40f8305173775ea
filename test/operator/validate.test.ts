/**
 * validatePlan: a value only a chart can judge (its schema, its validate.yaml, an overlay that
 * finds nothing to patch) stops the whole plan before anything is applied, one line per
 * offending value, named as the user typed it and where. Each schema case is also refused by
 * helm itself (the charts' schemas under helm's validator), so the in-process check is never
 * stricter than the install it guards.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InstallPlan, InvalidPlan, planInstall, validatePlan } from '../../src/operator';
import { templateArgs } from '../../src/operator/render';
import { sourceOf } from '../../src/operator/validate';
import { helmPath } from '../../src/tools/helm-path';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function problems(plan: InstallPlan): Promise<string[]> {
  try {
    await validatePlan(plan);
  } catch (e) {
    if (e instanceof InvalidPlan) return [...e.problems];
    throw e;
  }
  return [];
}

/** Whether helm refuses the release's values (what helm upgrade would have said, after applying the releases before it). */
function helmRefuses(plan: InstallPlan, release: string): boolean {
  const r = plan.releases.find((x) => x.release === release)!;
  const values = file(`${release}.json`, JSON.stringify(r.values));
  try {
    execFileSync(helmPath(), templateArgs(r, values), { stdio: 'pipe' });
    return false;
  } catch {
    return true;
  }
}

/** [--set flags, the release whose chart refuses them, the lines expected] */
const SCHEMA_CASES: Array<[string[], string, string[]]> = [
  [['values.pilot.autoscaleMin=-1'], 'istiod', ['spec.values.pilot.autoscaleMin: must be at least 0, got -1 (in --set values.pilot.autoscaleMin=-1)']],
  // renamed on its way to the chart (pilot.autoscaleMin): named by the IstioOperator path
  [['components.pilot.k8s.hpaSpec.minReplicas=-1'], 'istiod', ['spec.components.pilot.k8s.hpaSpec.minReplicas: must be at least 0, got -1 (in --set components.pilot.k8s.hpaSpec.minReplicas=-1)']],
  [['values.global.proxy.logLevel=loud'], 'istiod', ['spec.values.global.proxy.logLevel: must be one of "trace", "debug", "info", "warning", "error", "critical", "off", got "loud" (in --set values.global.proxy.logLevel=loud)']],
  // the legacy gateway keys reach the gateway chart
  [['values.gateways.istio-ingressgateway.externalTrafficPolicy=Foo'], 'istio-ingressgateway', ['spec.values.gateways.istio-ingressgateway.externalTrafficPolicy: must be one of "", "Cluster", "Local", got "Foo" (in --set values.gateways.istio-ingressgateway.externalTrafficPolicy=Foo)']],
  [['values.gateways.istio-ingressgateway.ports[0].port=70000'], 'istio-ingressgateway', ['spec.values.gateways.istio-ingressgateway.ports[0].port: must be at most 65535, got 70000 (in --set values.gateways.istio-ingressgateway.ports[0].port=70000)']],
  [['profile=ambient', 'values.cni.provider=foo'], 'istio-cni', ['spec.values.cni.provider: must be one of "default", "multus", got "foo" (in --set values.cni.provider=foo)']],
  // a k8s field of a node agent, one branch of the quantity's anyOf per form
  [['profile=ambient', 'components.cni.k8s.resources.requests.cpu=-1'], 'istio-cni', ['spec.components.cni.k8s.resources.requests.cpu: must be a string, or a number at least 0, or null, got -1 (in --set components.cni.k8s.resources.requests.cpu=-1)']],
];

describe.each(SCHEMA_CASES)('--set %j', (sets, release, expected) => {
  test('names the value as typed; helm refuses the chart values too', async () => {
    const plan = planInstall({ files: [], sets });
    expect(await problems(plan)).toEqual(expected);
    expect(helmRefuses(plan, release)).toBe(true);
  });
});

test('every offending value of every release at once, one line each, from a values file; a global value refused by several charts is one line', async () => {
  const values = file('values.yaml', 'pilot:\n  autoscaleMin: -3\n  autoscaleMax: 0\nglobal:\n  proxy:\n    logLevel: loud\n');
  expect(await problems(planInstall({ files: [values], sets: [] }))).toEqual([
    `spec.values.pilot.autoscaleMin: must be at least 0, got -3 (in ${values})`,
    `spec.values.pilot.autoscaleMax: must be at least 1, got 0 (in ${values})`,
    `spec.values.global.proxy.logLevel: must be one of "trace", "debug", "info", "warning", "error", "critical", "off", got "loud" (in ${values})`,
  ]);
});

test('the later of two inputs setting the value is the one named (it won the merge)', async () => {
  const values = file('later.yaml', 'pilot:\n  autoscaleMin: -1\n');
  const lines = await problems(planInstall({ files: [values], sets: ['values.pilot.autoscaleMin=-2'] }));
  expect(lines).toEqual(['spec.values.pilot.autoscaleMin: must be at least 0, got -2 (in --set values.pilot.autoscaleMin=-2)']);
});

test("a chart's own check (validate.yaml) is traced back to the input that set the key", async () => {
  const lines = await problems(planInstall({ files: [], sets: ['values.telemetry.v2.prometheus.configOverride.x=1'] }));
  expect(lines).toEqual([
    'spec.values.telemetry.v2.prometheus.configOverride: telemetry.v2.prometheus.configOverride was removed; use Telemetry resources (in --set values.telemetry.v2.prometheus.configOverride.x=1)',
  ]);
});

test('an overlay that finds nothing to patch names the overlay', async () => {
  const lines = await problems(planInstall({ files: [], sets: ['components.pilot.k8s.overlays[0].kind=Service', 'components.pilot.k8s.overlays[0].name=nope'] }));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^spec\.components\.pilot\.k8s\.overlays\[0\]: no Service named nope to patch/);
});

test('valid input renders every release, in plan order', async () => {
  const plan = planInstall({ files: [], sets: ['profile=demo'] });
  const rendered = await validatePlan(plan);
  expect(rendered.map((objects) => objects.length > 0)).toEqual(plan.releases.map(() => true));
  expect(rendered[1].some((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod')).toBe(true);
});

describe('sourceOf', () => {
  const inputs = [
    { source: 'a.yaml', spec: { values: { pilot: { autoscaleMin: -1, replicaCount: 2 } } } },
    { source: '--set components.pilot.k8s.replicaCount=2', spec: { components: { pilot: { k8s: { replicaCount: 2 } } } } },
  ];
  test('prefers the node whose path ends like the chart path', () => {
    expect(sourceOf(inputs, ['pilot', 'autoscaleMin'], -1)).toEqual({ path: 'spec.values.pilot.autoscaleMin', source: 'a.yaml' });
    expect(sourceOf(inputs, ['pilot', 'replicaCount'], 2)).toEqual({ path: 'spec.values.pilot.replicaCount', source: 'a.yaml' });
  });
  test('a renamed value is named only when one input node alone holds it', () => {
    expect(sourceOf(inputs, ['pilot', 'autoscaleMax'], -1)).toEqual({ path: 'spec.values.pilot.autoscaleMin', source: 'a.yaml' });
    expect(sourceOf(inputs, ['pilot', 'autoscaleMax'], 2)).toBeUndefined();
    expect(sourceOf(inputs, ['pilot', 'autoscaleMax'], 7)).toBeUndefined();
  });
});
