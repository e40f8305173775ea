/**
 * A canary upgrade as the upstream docs lay it out: two istiod revisions side by side, each
 * with a revision tag (`prod-stable`, `prod-canary`), a namespace moved between them by
 * relabelling `istio.io/rev`, base's default-revision validator following `defaultRevision`,
 * and the old revision removed with helm, taking exactly its own objects.
 * (revisions.test.ts covers a single canary beside the default revision and upstream-style values.)
 */
import * as YAML from 'yaml';
import { ControlPlane, waitFor } from '../../src/cluster/control-plane';
import { waitForIstiod } from '../../src/cluster/istiod';
import { chart } from '../support/helm';
import { containerNames, create, createNamespace, dryRunPod, mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';
import { eventually } from '../support/mesh';

const wait = ['--wait', '--timeout', '3m'];
const istiod = (revision: string, tag: string) => ['install', `istiod-${revision}`, chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '--set', `revision=${revision}`, '--set', `revisionTags={${tag}}`, ...wait];

const c = useControlPlane(async (cluster) => {
  mustHelm(cluster.cp, ['install', 'istio-base', chart('base'), '-n', 'istio-system', '--create-namespace', '--set', 'defaultRevision=stable']);
  mustHelm(cluster.cp, istiod('stable', 'prod-stable'));
  mustHelm(cluster.cp, istiod('canary', 'prod-canary'));
  await waitForIstiod(cluster.cp, { revision: 'stable' });
  await waitForIstiod(cluster.cp, { revision: 'canary' });
  await createNamespace(cluster.cp, 'apps', { 'istio.io/rev': 'prod-stable' });
});

const relabel = (rev: string) => {
  const r = c.cp.kubectl(['label', 'namespace', 'apps', `istio.io/rev=${rev}`, '--overwrite']);
  if (r.status !== 0) throw new Error(r.stderr);
};

/** Which revision injected a pod, by the injector's own record and by where its proxy is told to connect. */
async function injectedBy(namespace: string): Promise<{ revision: string; discoveryAddress: string; caAddress?: string }> {
  const r = await dryRunPod(c.cp, namespace, 'web');
  if (r.status !== 201) throw new Error(`pod in ${namespace}: ${r.status} ${r.body.message}`);
  if (!containerNames(r.body).includes('istio-proxy')) throw new Error(`pod in ${namespace} was not injected`);
  const proxy = [...(r.body.spec.initContainers ?? []), ...r.body.spec.containers].find((x: any) => x.name === 'istio-proxy');
  const env = Object.fromEntries((proxy.env ?? []).map((e: any) => [e.name, e.value]));
  return {
    revision: JSON.parse(r.body.metadata.annotations['sidecar.istio.io/status']).revision,
    discoveryAddress: JSON.parse(env.PROXY_CONFIG).discoveryAddress,
    caAddress: env.CA_ADDR,
  };
}

const expected = (revision: string) => ({ revision, discoveryAddress: `istiod-${revision}.istio-system.svc:15012` });

test('the namespace follows its label: tag prod-stable, tag prod-canary, back, and a revision by name', async () => {
  expect(await injectedBy('apps')).toMatchObject(expected('stable'));
  // the webhook configuration of each tag has its own, patched by the istiod it points at
  for (const tag of ['prod-stable', 'prod-canary']) {
    const mwc = await c.cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-revision-tag-${tag}`);
    expect([tag, mwc.webhooks.every((w: any) => w.clientConfig.caBundle)]).toEqual([tag, true]);
  }
  // the apiserver matches namespace selectors against its namespace cache, which follows a
  // relabel a moment later: the next pods go to the new revision
  relabel('prod-canary');
  await eventually(async () => expect(await injectedBy('apps')).toMatchObject(expected('canary')), 15_000);
  relabel('prod-stable');
  await eventually(async () => expect(await injectedBy('apps')).toMatchObject(expected('stable')), 15_000);
  relabel('canary');
  await eventually(async () => expect(await injectedBy('apps')).toMatchObject(expected('canary')), 15_000);
});

const badVirtualService = (name: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/' } }] }] },
});
const validatorService = async () => (await c.cp.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator')).webhooks[0].clientConfig.service.name;

test("base's default-revision validator follows defaultRevision", async () => {
  expect(await validatorService()).toBe('istiod-stable');
  const denied = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', badVirtualService('bad-stable'), true);
  expect(denied.body.message).toContain('admission webhook "validation.istio.io" denied the request');
  mustHelm(c.cp, ['upgrade', 'istio-base', chart('base'), '-n', 'istio-system', '--set', 'defaultRevision=canary']);
  expect(await validatorService()).toBe('istiod-canary');
  // istiod-canary took the validator over: its label names the canary now, and it patched the CA
  // bundle and switched it to Fail
  const vwc = await waitFor('istiod-canary patched the default validator', 60_000, async () => {
    const v = await c.cp.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator');
    return v.webhooks[0].clientConfig.caBundle && v.webhooks[0].failurePolicy === 'Fail' ? v : undefined;
  });
  expect(vwc.metadata.labels['istio.io/rev']).toBe('canary');
});

/** Every object in istio-system and every cluster-scoped one, as `Kind/name` (pods and the like left out). */
function objectsOfInterest(cp: ControlPlane): Set<string> {
  const names = (namespaced: boolean) => {
    const r = cp.kubectl(['api-resources', `--namespaced=${namespaced}`, '--verbs=list', '-o', 'name']);
    return r.stdout.trim().split('\n');
  };
  // what controllers make and remove on their own (a Service's ClusterIP is an IPAddress), not what a chart installs
  const runtime = /^(pods|ipaddresses\.networking\.k8s\.io|replicasets\.apps|endpointslices\.discovery\.k8s\.io|endpoints|events(\.events\.k8s\.io)?|leases\.coordination\.k8s\.io|controllerrevisions\.apps)$/;
  const get = (kinds: string[], ns: string[]) => {
    const r = cp.kubectl(['get', kinds.filter((k) => !runtime.test(k)).join(','), ...ns, '-o', 'json']);
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout).items as any[];
  };
  return new Set([...get(names(true), ['-n', 'istio-system']), ...get(names(false), [])].map((o) => `${o.kind}/${o.metadata.name}`));
}

test('uninstalling the stable revision removes exactly its objects; the canary serves on', async () => {
  const manifest = mustHelm(c.cp, ['get', 'manifest', 'istiod-stable', '-n', 'istio-system']).stdout;
  const ofRelease = YAML.parseAllDocuments(manifest).map((d) => d.toJS()).filter(Boolean).map((o: any) => `${o.kind}/${o.metadata.name}`).sort();
  const before = objectsOfInterest(c.cp);
  expect(ofRelease.filter((k) => !before.has(k))).toEqual([]);
  mustHelm(c.cp, ['uninstall', 'istiod-stable', '-n', 'istio-system', '--wait']);
  const after = objectsOfInterest(c.cp);
  const removed = [...before].filter((k) => !after.has(k)).sort();
  const added = [...after].filter((k) => !before.has(k)).sort();
  // the chart's objects, and helm's record of the release
  expect(removed).toEqual([...ofRelease, 'Secret/sh.helm.release.v1.istiod-stable.v1'].sort());
  expect(added).toEqual([]);
  // the canary still injects through its tag, and validates what names no revision
  expect(await injectedBy('apps')).toMatchObject(expected('canary'));
  const denied = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', badVirtualService('bad-canary'), true);
  expect(denied.body.message).toContain('admission webhook "validation.istio.io" denied the request');
  // a namespace still on the removed tag is no longer injected: nothing selects it
  relabel('prod-stable');
  await eventually(async () => {
    const r = await dryRunPod(c.cp, 'apps', 'web');
    expect([r.status, containerNames(r.body)]).toEqual([201, ['app']]);
  }, 15_000);
});
