/**
 * Switching to our charts under load (issue 23): a mesh installed with upstream's base, istiod
 * and gateway charts of the pinned release is `helm upgrade`d in place to ours, under the same
 * release names, no --force, while requests flow at a fixed rate from this machine through the
 * gateway to httpbin's sidecar. Nothing may fail, and istiod's webhooks keep failing closed
 * with their CA bundle. With helm v3; with helm v4 (its default apply method, `auto`); and with helm v4 after a
 * server-side install.
 */
import { LoadProbeReport } from '../../src/cluster/load-probe';
import { waitForIstiod } from '../../src/cluster/istiod';
import type { HelmMajor } from '../../src/tools/helm';
import { chart } from '../support/helm';
import { mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';
import { helmUnderLoad, httpbinBehindGateway, underLoad } from '../support/load';
import { upstreamChart } from '../support/upstream';

const GATEWAY = ['--set', 'replicaCount=2', '--set', 'autoscaling.enabled=false'];

const c = useControlPlane();

/** Installs (or upgrades to) base, istiod and the gateway from `charts`, each waited on. */
async function releases(charts: (name: 'base' | 'istiod' | 'gateway') => string, major: HelmMajor, extra: string[] = []): Promise<void> {
  await helmUnderLoad(c, ['upgrade', '--install', 'istio-base', charts('base'), '-n', 'istio-system', '--create-namespace', ...extra, '--wait'], major);
  await helmUnderLoad(c, ['upgrade', '--install', 'istiod', charts('istiod'), '-n', 'istio-system', ...upstreamEnvoy, ...extra, '--wait', '--timeout', '3m'], major);
  await helmUnderLoad(c, ['upgrade', '--install', 'istio-ingress', charts('gateway'), '-n', 'istio-ingress', '--create-namespace', ...GATEWAY, ...extra, '--wait', '--timeout', '3m'], major);
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

async function adoptUnderLoad(major: HelmMajor, installExtra: string[]): Promise<{ report: LoadProbeReport & { expected: number }; before: string[]; after: string[] }> {
  await releases(upstreamChart, major, installExtra);
  await waitForIstiod(c.cp);
  const url = await httpbinBehindGateway(c, { namespace: 'istio-ingress', service: 'istio-ingress', selector: { istio: 'ingress' } });
  const before = await webhooks();
  const report = await underLoad(`adoption with helm ${major}`, url, async () => {
    await releases(chart, major);
    await c.cluster.waitForRollout('istio-system', 'istiod', 180_000);
    await c.cluster.waitForRollout('istio-ingress', 'istio-ingress', 180_000);
  });
  return { report, before, after: await webhooks() };
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
] as Array<[HelmMajor, string[]]>)("helm %s (install flags %j): upstream's releases upgraded in place to ours lose no request; the webhooks keep failing closed with their CA bundle", async (major, installExtra) => {
  const { report, before, after } = await adoptUnderLoad(major, installExtra);
  expect(report.sent).toBeGreaterThanOrEqual(report.expected);
  expect(report).toMatchObject({ failed: 0 });
  expect(after).toEqual(before);
  // the sidecar injector's four webhooks, the revision's validator and the default validator
  expect(after.length).toBeGreaterThanOrEqual(6);
  for (const w of after) expect(w).toMatch(/ Fail caBundle$/);
  uninstallAll(major);
});
