/**
 * Switching to our charts under load (issue 23): a mesh installed with upstream's base, istiod
 * and gateway charts of the pinned release is `helm upgrade`d in place to ours, under the same
 * release names, no --force, while requests flow at a fixed rate from this machine through the
 * gateway to httpbin's sidecar. istiod's and the gateway's pods roll (their templates differ from
 * upstream's) and no request may fail; istiod's webhooks keep failing closed with their CA bundle. With helm v3; with helm v4 (its default apply method, `auto`); and with helm v4 after a
 * server-side install.
 */
import { LoadProbeReport } from '../../src/cluster/load-probe';
import { waitForIstiod } from '../../src/cluster/istiod';
import type { HelmMajor } from '../../src/tools/helm';
import { chart } from '../support/helm';
import { mustHelm, mustHelmAsync, upstreamEnvoy, useControlPlane } from '../support/cluster';
import { MeshClientReport, httpbinBehindGateway, underLoad } from '../support/load';
import { upstreamChart } from '../support/upstream';

const GATEWAY = ['--set', 'replicaCount=2', '--set', 'autoscaling.enabled=false'];

const c = useControlPlane();

/** Installs (or upgrades to) base, istiod and the gateway from `charts`, each waited on. */
async function releases(charts: (name: 'base' | 'istiod' | 'gateway') => string, major: HelmMajor, extra: string[] = []): Promise<void> {
  await mustHelmAsync(c.cp, ['upgrade', '--install', 'istio-base', charts('base'), '-n', 'istio-system', '--create-namespace', ...extra, '--wait'], major);
  await mustHelmAsync(c.cp, ['upgrade', '--install', 'istiod', charts('istiod'), '-n', 'istio-system', ...upstreamEnvoy, ...extra, '--wait', '--timeout', '3m'], major);
  await mustHelmAsync(c.cp, ['upgrade', '--install', 'istio-ingress', charts('gateway'), '-n', 'istio-ingress', '--create-namespace', ...GATEWAY, ...extra, '--wait', '--timeout', '3m'], major);
}

/** The webhooks' failure policies and whether each carries a CA bundle. */
async function webhooks(): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
    for (const w of (await c.cp.get(`/apis/admissionregistration.k8s.io/v1/${kind}`)).items) {
      for (const h of w.webhooks ?? []) out.push(`${w.metadata.name} ${h.name} ${h.failurePolicy} ${h.clientConfig.caBundle ? 'caBundle' : 'no caBundle'}`);
    }
  }
  return out.sort();
}

/** The pods of istiod and the gateway, by name: new names after an upgrade mean they rolled. */
async function controlAndGatewayPods(): Promise<string[]> {
  const pods = [...(await c.cluster.runningPods('istio-system', 'app=istiod')), ...(await c.cluster.runningPods('istio-ingress', 'app=istio-ingress'))];
  return pods.map((p) => p.metadata.name).sort();
}

interface Adoption {
  report: LoadProbeReport & { expected: number; mesh: MeshClientReport };
  before: { webhooks: string[]; pods: string[] };
  after: { webhooks: string[]; pods: string[] };
}

async function adoptUnderLoad(major: HelmMajor, installExtra: string[]): Promise<Adoption> {
  await releases(upstreamChart, major, installExtra);
  await waitForIstiod(c.cp);
  const url = await httpbinBehindGateway(c, { namespace: 'istio-ingress', service: 'istio-ingress', selector: { istio: 'ingress' } });
  const before = { webhooks: await webhooks(), pods: await controlAndGatewayPods() };
  const report = await underLoad(c, `adoption with helm ${major}`, url, async () => {
    await releases(chart, major);
    await c.cluster.waitForRollout('istio-system', 'istiod', 180_000);
    await c.cluster.waitForRollout('istio-ingress', 'istio-ingress', 180_000);
  });
  return { report, before, after: { webhooks: await webhooks(), pods: await controlAndGatewayPods() } };
}

/** Everything installed here removed, so the next block starts from nothing. */
function uninstallAll(major: HelmMajor): void {
  c.cp.kubectl(['delete', 'deployment,service,virtualservice,gateway', '--all', '-n', 'sample', '--wait=true']);
  for (const [name, ns] of [['istio-ingress', 'istio-ingress'], ['istiod', 'istio-system'], ['istio-base', 'istio-system']]) mustHelm(c.cp, ['uninstall', name, '-n', ns, '--wait'], major);
}

test.each([
  ['v3', [] as string[]],
  ['v4', [] as string[]],
  ['v4', ['--server-side=true']],
] as Array<[HelmMajor, string[]]>)("helm %s (install flags %j): upstream's releases upgraded in place to ours roll their pods and lose no request; the webhooks keep failing closed with their CA bundle", async (major, installExtra) => {
  const { report, before, after } = await adoptUnderLoad(major, installExtra);
  expect(report.sent).toBeGreaterThanOrEqual(report.expected);
  expect(report).toMatchObject({ failed: 0 });
  expect(report.mesh).toMatchObject({ sent: 600, failed: 0 });
  // istiod's and the gateway's pods rolled (their templates differ from upstream's): all three are new
  expect(after.pods.length).toBe(3);
  expect(after.pods.filter((p) => before.pods.includes(p))).toEqual([]);
  expect(after.webhooks).toEqual(before.webhooks);
  // the sidecar injector's four webhooks, the revision's validator and the default validator
  expect(after.webhooks.length).toBeGreaterThanOrEqual(6);
  for (const w of after.webhooks) expect(w).toMatch(/ Fail caBundle$/);
  uninstallAll(major);
});
