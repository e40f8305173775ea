/**
 * base and istiod installed with helm into a real kube-apiserver, with the real istiod
 * running from the installed chart: CRDs, validation, injection, upgrade and uninstall.
 */
import { spawnSync } from 'child_process';
import { waitFor } from '../../src/cluster/control-plane';
import { sleep } from '../../src/cluster/samples';
import { loadCrds } from '../../src/crds';
import { chart } from '../support/helm';
import { containerNames, create, createNamespace, dryRunPod, installIstio, mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';

const c = useControlPlane((cluster) => installIstio(cluster));

const badVirtualService = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: 'default', labels },
  // a route with a match but nowhere to send traffic: the CRD schema allows it, istiod does not
  spec: { hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/' } }] }] } as any,
});

test('the 15 CRDs are established', async () => {
  for (const crd of loadCrds()) {
    const live = await c.cp.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.name}`);
    const established = live.status.conditions.find((x: any) => x.type === 'Established');
    expect([crd.name, established?.status]).toEqual([crd.name, 'True']);
  }
});

test('istiod created its CA and took over both validating webhooks', async () => {
  expect(c.istiod!.env.REVISION).toBe('default');
  const secret = await c.cp.get('/api/v1/namespaces/istio-system/secrets/istio-ca-secret');
  expect(Object.keys(secret.data)).toEqual(expect.arrayContaining(['ca-cert.pem', 'ca-key.pem', 'root-cert.pem']));
  for (const name of ['istiod-default-validator', 'istio-validator-istio-system']) {
    const vwc = await c.cp.get(`/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`);
    expect(vwc.webhooks[0].failurePolicy).toBe('Fail');
    expect(vwc.webhooks[0].clientConfig.caBundle).toBeTruthy();
  }
});

test('an invalid VirtualService is rejected by istiod through validation.istio.io', async () => {
  const r = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', badVirtualService('bad'));
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.body.message).toContain('admission webhook "validation.istio.io" denied the request');
  expect(r.body.message).toContain('HTTP route, redirect or direct_response is required');
  const labelled = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', badVirtualService('bad2', { 'istio.io/rev': 'default' }));
  expect(labelled.body.message).toMatch(/validation\.istio\.io" denied the request/);
});

test('a valid VirtualService is accepted', async () => {
  const vs = badVirtualService('good');
  vs.spec.http[0].route = [{ destination: { host: 'a' } }];
  const r = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', vs);
  expect(r.status).toBe(201);
});

describe('sidecar injection', () => {
  beforeAll(async () => {
    await createNamespace(c.cp, 'injected', { 'istio-injection': 'enabled' });
    await createNamespace(c.cp, 'plain');
  });

  test('a pod in an istio-injection=enabled namespace gets the proxy', async () => {
    const r = await dryRunPod(c.cp, 'injected', 'web');
    expect(r.status).toBe(201);
    expect(containerNames(r.body)).toEqual(expect.arrayContaining(['istio-proxy', 'app']));
    expect(r.body.metadata.annotations['sidecar.istio.io/status']).toBeTruthy();
  });

  test('sidecar.istio.io/inject: "false" opts out', async () => {
    const r = await dryRunPod(c.cp, 'injected', 'web', { labels: { 'sidecar.istio.io/inject': 'false' } });
    expect(containerNames(r.body)).toEqual(['app']);
  });

  test('a pod in an unlabelled namespace is left alone unless it opts in', async () => {
    expect(containerNames((await dryRunPod(c.cp, 'plain', 'web')).body)).toEqual(['app']);
    const optIn = await dryRunPod(c.cp, 'plain', 'web', { labels: { 'sidecar.istio.io/inject': 'true' } });
    expect(containerNames(optIn.body)).toContain('istio-proxy');
  });
});

test('a killed istiod comes back: the node restarts the container with back-off, as a kubelet does', async () => {
  const [pod] = await c.cluster.runningPods('istio-system', 'app=istiod');
  const discovery = (await c.cluster.podOnNode('istio-system', pod.metadata.name))!.processes.find((p) => p.container === 'discovery')!;
  process.kill(discovery.pid, 'SIGKILL');
  const status = await waitFor('istiod restarted and Ready again', 120_000, async () => {
    const p = await c.cp.get(`/api/v1/namespaces/istio-system/pods/${pod.metadata.name}`);
    const s = p.status.containerStatuses[0];
    return s.restartCount === 1 && s.ready ? s : undefined;
  });
  expect(status.lastState.terminated.exitCode).toBe(137);
  expect((await c.cluster.podOnNode('istio-system', pod.metadata.name))!.processes.find((p) => p.container === 'discovery')!.pid).not.toBe(discovery.pid);
  // and it serves again: validation still answers through the webhook
  const r = await waitFor('validation through the restarted istiod', 30_000, async () => {
    const x = await create(c.cp, '/apis/networking.istio.io/v1/namespaces/default/virtualservices', badVirtualService('after-restart'));
    return x.body?.message?.includes('denied the request') ? x : undefined;
  });
  expect(r.status).toBeGreaterThanOrEqual(400);
});

describe('the cluster around the charts', () => {
  test('a pod whose image has no local stand-in is simulated on the kwok node, and its Deployment still becomes Available', async () => {
    await createNamespace(c.cp, 'simulated');
    c.cp.apply(JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ztunnel-like', namespace: 'simulated' },
      spec: { selector: { matchLabels: { app: 'z' } }, template: { metadata: { labels: { app: 'z' } }, spec: { containers: [{ name: 'z', image: 'docker.io/istio/ztunnel:1.31.4' }] } } },
    }));
    await c.cluster.waitForRollout('simulated', 'ztunnel-like');
    const [pod] = await c.cluster.runningPods('simulated', 'app=z');
    expect(pod.spec.nodeName).toBe('kwok-node');
    // the scheduler was told why: the local node does not run it
    // (the scheduler posts its events in the background, after binding)
    const events = await waitFor('the scheduler\'s event', 30_000, async () => {
      const text = (await c.cp.get('/api/v1/namespaces/simulated/events')).items.map((e: any) => e.message).join('\n');
      return text.includes('Successfully assigned') ? text : undefined;
    });
    expect(events).toContain('Successfully assigned simulated/');
    expect(await c.cluster.podOnNode('simulated', pod.metadata.name)).toBeUndefined();
  });

  test('the kwok node renews its Lease as a kubelet does, so its pods stay Ready past the node controller\'s grace period', async () => {
    const node = await c.cp.get('/api/v1/nodes/kwok-node');
    // past the grace period (50 s) a node without heartbeats is marked unknown: wait until then
    const age = Date.now() - Date.parse(node.metadata.creationTimestamp);
    if (age < 60_000) await new Promise((r) => setTimeout(r, 60_000 - age));
    const lease = await c.cp.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/kwok-node');
    // held by the kwok process (its own id), renewed within the lease's duration
    expect(lease?.spec?.leaseDurationSeconds).toBe(40);
    expect(Date.now() - Date.parse(lease.spec.renewTime)).toBeLessThan(40_000);
    // the node controller never found it unready, so no pod on it was marked NotReady
    const events = (await c.cp.get('/api/v1/events')).items.filter((e: any) => e.reason === 'NodeNotReady');
    expect(events.map((e: any) => `${e.involvedObject.kind}/${e.involvedObject.name}`)).toEqual([]);
    const [pod] = await c.cluster.runningPods('simulated', 'app=z');
    expect(pod.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
  });

  test('deleting a namespace stops its pods: the node ends their processes and removes their network namespaces', async () => {
    await createNamespace(c.cp, 'doomed');
    c.cp.apply(sleep({ namespace: 'doomed' }));
    await c.cluster.waitForRollout('doomed', 'sleep');
    const [pod] = await c.cluster.runningPods('doomed', 'app=sleep');
    const onNode = (await c.cluster.podOnNode('doomed', pod.metadata.name))!;
    expect(onNode.processes.length).toBe(1);
    c.cp.kubectl(['delete', 'namespace', 'doomed', '--wait=false']);
    await waitFor('namespace doomed gone (the namespace controller deleted its objects)', 180_000, async () => ((await c.cp.get('/api/v1/namespaces/doomed')) ? undefined : true), () => c.cluster.logTail());
    expect(() => process.kill(onNode.processes[0].pid, 0)).toThrow();
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`${onNode.netns} `);
  });
});

describe('lifecycle', () => {
  test('helm upgrade keeps validation failing closed, rollback and status work', () => {
    mustHelm(c.cp, ['upgrade', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '--set', 'pilot.traceSampling=5']);
    const deployment = JSON.parse(c.cp.kubectl(['get', 'deployment', 'istiod', '-n', 'istio-system', '-o', 'json']).stdout);
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'PILOT_TRACE_SAMPLING', value: '5' });
    const vwc = JSON.parse(c.cp.kubectl(['get', 'validatingwebhookconfiguration', 'istio-validator-istio-system', '-o', 'json']).stdout);
    // the chart leaves failurePolicy out on upgrade, so istiod's Fail stays
    expect(vwc.webhooks[0].failurePolicy).toBe('Fail');
    mustHelm(c.cp, ['rollback', 'istiod', '1', '-n', 'istio-system']);
    const history = JSON.parse(mustHelm(c.cp, ['history', 'istiod', '-n', 'istio-system', '-o', 'json']).stdout);
    expect(history.map((h: any) => h.revision)).toEqual([1, 2, 3]);
  });

  test('with helm v3 too, NOTES warn about deprecated keys (a v3 dry run needs a cluster)', () => {
    const r = c.cp.helm(['upgrade', 'istiod', chart('istiod'), '-n', 'istio-system', '--dry-run', '--set', 'global.proxy.accessLogFile=/dev/stdout'], 'v3');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('WARNING: global.proxy.accessLogFile is deprecated; use meshConfig.accessLogFile instead.');
  });

  test('the stable-channel policy is enforced by the apiserver itself', async () => {
    mustHelm(c.cp, ['upgrade', 'istio-base', chart('base'), '-n', 'istio-system', '--set', 'experimental.stableValidationPolicy=true']);
    const filter = { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'f', namespace: 'default' }, spec: {} };
    // the apiserver loads a new policy within seconds, not at once
    const r = await waitFor('the policy to reject an EnvoyFilter', 30_000, async () => {
      const attempt = await create(c.cp, '/apis/networking.istio.io/v1alpha3/namespaces/default/envoyfilters', filter, true);
      return attempt.status === 201 ? undefined : attempt;
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('EnvoyFilter, WasmPlugin and ProxyConfig are not part of the stable Istio API');
    mustHelm(c.cp, ['upgrade', 'istio-base', chart('base'), '-n', 'istio-system']);
  });

  test('uninstalling base keeps the CRDs (resource-policy keep)', async () => {
    mustHelm(c.cp, ['uninstall', 'istio-base', '-n', 'istio-system']);
    expect(await c.cp.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.networking.istio.io')).toBeTruthy();
    expect(await c.cp.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator')).toBeUndefined();
  });
});
