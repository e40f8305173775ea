/**
 * The whole life of a release on the real apiserver, with helm v3 (client-side apply) and then
 * helm v4 (server-side apply by default): install base, istiod and a gateway, upgrade with
 * changed values, upgrade to a newer chart version, roll back, uninstall. Afterwards no
 * cluster-scoped object of ours is left but the CRDs, which the next install adopts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ControlPlane, CommandResult } from '../../src/cluster/control-plane';
import { UPSTREAM_ENVOY_VALUES, waitForIstiod } from '../../src/cluster/istiod';
import { HelmMajor } from '../../src/tools/helm';
import { chart } from '../support/helm';
import { containerNames, createNamespace, dryRunPod, upstreamEnvoy, useControlPlane } from '../support/cluster';

const NEXT_VERSION = '1.31.99';
/** Copies of the three charts with only `version` bumped, as a newer release of them would be. */
const newer: Record<string, string> = {};
let scratch = '';
/** Every cluster-scoped object before anything of ours was installed. */
let before = new Set<string>();

const c = useControlPlane(async (cluster) => {
  scratch = mkdtempSync(join(tmpdir(), 'lifecycle-charts-'));
  for (const name of ['base', 'istiod', 'gateway']) {
    newer[name] = join(scratch, name);
    cpSync(chart(name), newer[name], { recursive: true });
    const chartYaml = join(newer[name], 'Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, `version: ${NEXT_VERSION}`));
  }
  // the namespaces exist first: helm never deletes a namespace, so they are not ours to check
  for (const ns of ['istio-system', 'istio-ingress']) await createNamespace(cluster.cp, ns);
  await createNamespace(cluster.cp, 'apps', { 'istio-injection': 'enabled' });
  before = new Set(clusterScoped(cluster.cp).map(key));
});

afterAll(() => scratch && rmSync(scratch, { recursive: true, force: true }));

function helmOk(cp: ControlPlane, major: HelmMajor, args: string[]): CommandResult {
  const r = cp.helm(args, major);
  if (r.status !== 0) throw new Error(`helm ${major} ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

/** Every object of every cluster-scoped kind the apiserver lists (CRDs' kinds included). */
function clusterScoped(cp: ControlPlane): any[] {
  const kinds = cp.kubectl(['api-resources', '--namespaced=false', '--verbs=list', '-o', 'name']);
  if (kinds.status !== 0) throw new Error(kinds.stderr);
  const r = cp.kubectl(['get', kinds.stdout.trim().split('\n').join(','), '-o', 'json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).items;
}
const key = (o: any) => `${o.kind}/${o.metadata.name}`;

/**
 * `--set pilot.env.X=...` for each entry, plus the upstream-Envoy settings: a user's `pilot.env`
 * replaces the top-level `env` of src/cluster/values/upstream-envoy.yaml (its comment says so).
 */
function pilotEnv(entries: Record<string, string>): string[] {
  const upstream = YAML.parse(readFileSync(UPSTREAM_ENVOY_VALUES, 'utf8')).env as Record<string, string>;
  return Object.entries({ ...upstream, ...entries }).flatMap(([k, v]) => ['--set-string', `pilot.env.${k}=${v}`]);
}

const deployment = async (cp: ControlPlane, ns: string, name: string) => cp.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
const envOf = (d: any) => d.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
/** How the release's objects were written: helm's field manager records Apply (server-side) or Update. */
const helmOperations = (o: any) => [...new Set((o.metadata.managedFields ?? []).filter((f: any) => f.manager === 'helm').map((f: any) => f.operation))];

describe.each<[HelmMajor, string]>([
  ['v3', 'Update'],
  ['v4', 'Apply'],
])('helm %s', (major, operation) => {
  const helm = (args: string[]) => helmOk(c.cp, major, args);
  const wait = ['--wait', '--timeout', '3m'];
  const chartVersions = () => JSON.parse(helm(['list', '-A', '-o', 'json']).stdout).map((r: any) => `${r.name}:${r.chart}`).sort();

  test('install base, istiod and a gateway', async () => {
    helm(['install', 'istio-base', chart('base'), '-n', 'istio-system']);
    helm(['install', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, ...wait]);
    await waitForIstiod(c.cp);
    helm(['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', ...wait]);
    expect(helmOperations(await deployment(c.cp, 'istio-system', 'istiod'))).toEqual([operation]);
    // the second round installs over the CRDs the first uninstall kept: helm adopts them
    // (same release name and namespace in their ownership annotations)
    const crd = await c.cp.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.networking.istio.io');
    expect(crd.metadata.annotations).toMatchObject({ 'meta.helm.sh/release-name': 'istio-base', 'meta.helm.sh/release-namespace': 'istio-system' });
    // and this install wrote them itself (for v4, server-side, over v3's client-side fields)
    expect(helmOperations(crd)).toContain(operation);
  });

  test('upgrade with changed values: a pilot.env entry replaces the fixed one, applied without --force-conflicts', async () => {
    // pilot.traceSampling (default 1) also renders PILOT_TRACE_SAMPLING; the user's entry wins and
    // the name appears once (twice, a server-side apply is refused as a duplicate list key)
    helm(['upgrade', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, ...pilotEnv({ PILOT_TRACE_SAMPLING: '5' }), '--set', 'pilot.resources.requests.cpu=250m', ...wait]);
    helm(['upgrade', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--set', 'labels.tier=edge', ...wait]);
    helm(['upgrade', 'istio-base', chart('base'), '-n', 'istio-system', '--set', 'defaultRevision=default']);
    const d = await deployment(c.cp, 'istio-system', 'istiod');
    expect(envOf(d).filter((e) => e.name === 'PILOT_TRACE_SAMPLING')).toEqual([{ name: 'PILOT_TRACE_SAMPLING', value: '5' }]);
    expect(d.spec.template.spec.containers[0].resources.requests.cpu).toBe('250m');
    expect((await deployment(c.cp, 'istio-ingress', 'istio-ingress')).metadata.labels.tier).toBe('edge');
    // istiod keeps patching the webhooks it owns (caBundle, failurePolicy); helm's later apply does not fight it
    await waitForIstiod(c.cp);
  });

  test('upgrade to a newer chart version', async () => {
    helm(['upgrade', 'istio-base', newer.base, '-n', 'istio-system']);
    helm(['upgrade', 'istiod', newer.istiod, '-n', 'istio-system', ...upstreamEnvoy, '--reuse-values', ...wait]);
    helm(['upgrade', 'istio-ingress', newer.gateway, '-n', 'istio-ingress', '--reuse-values', ...wait]);
    expect(chartVersions()).toEqual([`istio-base:base-${NEXT_VERSION}`, `istio-ingress:gateway-${NEXT_VERSION}`, `istiod:istiod-${NEXT_VERSION}`]);
    // --reuse-values kept the earlier upgrade's entry
    expect(envOf(await deployment(c.cp, 'istio-system', 'istiod'))).toContainEqual({ name: 'PILOT_TRACE_SAMPLING', value: '5' });
    await waitForIstiod(c.cp);
  });

  test('roll back to the revision before the version bump', async () => {
    // revision 2 of each release is the upgrade with changed values (see below for revision 1)
    for (const [release, ns] of [['istio-base', 'istio-system'], ['istiod', 'istio-system'], ['istio-ingress', 'istio-ingress']]) {
      helm(['rollback', release, '2', '-n', ns, ...(release === 'istio-base' ? [] : wait)]);
    }
    expect(chartVersions()).toEqual(['istio-base:base-1.31.4', 'istio-ingress:gateway-1.31.4', 'istiod:istiod-1.31.4']);
    expect(envOf(await deployment(c.cp, 'istio-system', 'istiod')).filter((e) => e.name === 'PILOT_TRACE_SAMPLING')).toEqual([{ name: 'PILOT_TRACE_SAMPLING', value: '5' }]);
    expect((await deployment(c.cp, 'istio-ingress', 'istio-ingress')).metadata.labels.tier).toBe('edge');
    await waitForIstiod(c.cp);
    const validator = await c.cp.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator');
    expect(validator.webhooks[0].failurePolicy).toBe('Fail');
  });

  test('roll back to the install revision: helm v3 does; helm v4 is refused on the validator\'s failurePolicy', async () => {
    // A fresh install renders failurePolicy Ignore (as upstream's chart does, so Istio config can
    // be applied before istiod first runs); istiod then sets Fail with an Update, owning the field.
    // Upgrades leave the field out, but a rollback re-applies the install's stored manifest:
    // client-side (v3) that resets it to Ignore until istiod sets Fail again; server-side (v4)
    // it conflicts with istiod's ownership. Not rendering Ignore at install would remove the
    // conflict (listed in the issue notes); until then this documents the behaviour.
    const r = c.cp.helm(['rollback', 'istio-base', '1', '-n', 'istio-system'], major);
    if (major === 'v3') {
      expect(r.status).toBe(0);
      return;
    }
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('conflict with "pilot-discovery"');
    expect(r.stderr).toContain('.webhooks[name="validation.istio.io"].failurePolicy');
  });

  test('uninstall leaves no cluster-scoped object of ours but the CRDs', async () => {
    helm(['uninstall', 'istio-ingress', '-n', 'istio-ingress']);
    helm(['uninstall', 'istiod', '-n', 'istio-system']);
    helm(['uninstall', 'istio-base', '-n', 'istio-system']);
    const left = clusterScoped(c.cp).filter((o) => !before.has(key(o)));
    const crds = left.filter((o) => o.kind === 'CustomResourceDefinition');
    // the apiserver registers an APIService per group and version its CRDs serve, and removes it with them
    const servedByCrds = (o: any) => o.kind === 'APIService' && o.metadata.labels?.['kube-aggregator.kubernetes.io/automanaged'] && crds.some((crd) => crd.spec.group === o.spec.group);
    expect(left.filter(servedByCrds).length).toBeGreaterThan(0);
    expect(left.filter((o) => o.kind !== 'CustomResourceDefinition' && !servedByCrds(o)).map(key)).toEqual([]);
    expect(crds.length).toBeGreaterThan(0);
    expect(crds.filter((o) => !o.metadata.name.endsWith('.istio.io')).map(key)).toEqual([]);
    // kept by design: helm.sh/resource-policy keep, or every Istio resource of the cluster would go with them
    expect(crds.every((o) => o.metadata.annotations['helm.sh/resource-policy'] === 'keep')).toBe(true);
    // the kinds the upstream issues are about, named one by one (the diff above already covers them)
    for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings']) {
      const items = (await c.cp.get(`/apis/admissionregistration.k8s.io/v1/${kind}`)).items;
      expect([kind, items.map((o: any) => o.metadata.name)]).toEqual([kind, []]);
    }
    for (const kind of ['clusterroles', 'clusterrolebindings']) {
      const items = (await c.cp.get(`/apis/rbac.authorization.k8s.io/v1/${kind}`)).items.filter((o: any) => /istio/.test(o.metadata.name));
      expect([kind, items.map((o: any) => o.metadata.name)]).toEqual([kind, []]);
    }
  });

  test('a pod in a namespace still labelled istio-injection=enabled is admitted, without a proxy', async () => {
    // Admitted, not refused: the injection webhook is a MutatingWebhookConfiguration of the
    // istiod release, deleted with it, so no webhook matches the namespace any more and the
    // apiserver has nothing to call (a leftover one with failurePolicy Fail is what blocks every
    // pod in upstream's reports). The label alone does nothing.
    const r = await dryRunPod(c.cp, 'apps', `after-uninstall-${major}`);
    expect(r.status).toBe(201);
    expect(containerNames(r.body)).toEqual(['app']);
  });
});
