/**
 * istiod stopped under a running data plane (real sidecars, real requests), then started
 * again; and last, the node process killed outright, taking every pod process with it.
 *
 * istiod is stopped by scaling its Deployment to 0 (the node ends the pod, its endpoints go);
 * a killed process would simply be restarted by the node (install.test.ts shows that).
 * The timings measured are printed, not asserted.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as YAML from 'yaml';
import { waitFor } from '../../src/cluster/control-plane';
import { waitForIstiod } from '../../src/cluster/istiod';
import { httpbin, sleep } from '../../src/cluster/samples';
import { containerNames, createNamespace, dryRunPod, installIstio, mustHelm, useControlPlane } from '../support/cluster';
import { clientCert, curl, eventually } from '../support/mesh';

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster);
  await createNamespace(cluster.cp, 'mesh', { 'istio-injection': 'enabled' });
  await createNamespace(cluster.cp, 'plain');
  cluster.cp.apply([httpbin({ namespace: 'mesh' }), sleep({ namespace: 'mesh' })].join('\n---\n'));
  await cluster.cluster.waitForRollout('mesh', 'httpbin');
  await cluster.cluster.waitForRollout('mesh', 'sleep');
});

const HTTPBIN = 'http://httpbin.mesh:8000';
const fromSleep = (path: string) => curl(c, 'mesh', 'app=sleep', 'sleep', `${HTTPBIN}${path}`);
const timings: Record<string, number> = {};
afterAll(() => console.log(`outage timings (ms): ${JSON.stringify(timings)}`));

/** The injection webhooks as the chart rendered them (helm's stored manifest of the release). */
function renderedInjector(): any {
  const manifest = mustHelm(c.cp, ['get', 'manifest', 'istiod', '-n', 'istio-system']).stdout;
  return YAML.parseAllDocuments(manifest).map((d) => d.toJS()).find((o) => o?.kind === 'MutatingWebhookConfiguration' && o.metadata.name === 'istio-sidecar-injector');
}

const scaleIstiod = (replicas: number) => {
  const r = c.cp.kubectl(['-n', 'istio-system', 'scale', 'deployment/istiod', `--replicas=${replicas}`]);
  if (r.status !== 0) throw new Error(r.stderr);
};

describe('istiod stopped', () => {
  let stoppedAt = 0;
  beforeAll(async () => {
    // the data plane works before the outage
    await eventually(async () => expect((await fromSleep('/get')).status).toBe(200));
    scaleIstiod(0);
    await waitFor('istiod gone: no pod, no ready endpoint', 120_000, async () => {
      const pods = (await c.cp.get('/api/v1/namespaces/istio-system/pods?labelSelector=app%3Distiod')).items;
      const slices = (await c.cp.get('/apis/discovery.k8s.io/v1/namespaces/istio-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Distiod')).items;
      const ready = slices.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready);
      return pods.length === 0 && ready.length === 0 ? true : undefined;
    });
    stoppedAt = Date.now();
  }, 360_000);

  test('pods of namespaces without injection labels are created as before', async () => {
    const r = await dryRunPod(c.cp, 'plain', 'web');
    expect(r.status).toBe(201);
    expect(containerNames(r.body)).toEqual(['app']);
  });

  test('in an injected namespace creation fails fast, naming istiod, as the rendered failurePolicy and timeout say', async () => {
    const rendered = renderedInjector().webhooks.find((w: any) => w.name === 'namespace.sidecar-injector.istio.io');
    const live = (await c.cp.get('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-sidecar-injector')).webhooks.find((w: any) => w.name === rendered.name);
    // the chart renders Fail and leaves the timeout to the apiserver's default of 10 s
    expect([rendered.failurePolicy, rendered.timeoutSeconds]).toEqual(['Fail', undefined]);
    expect([live.failurePolicy, live.timeoutSeconds]).toEqual([rendered.failurePolicy, 10]);
    const started = Date.now();
    const r = await dryRunPod(c.cp, 'mesh', 'web');
    timings.injectedPodRefused = Date.now() - started;
    expect(r.status).toBe(500);
    expect(r.body.message).toContain('failed calling webhook "namespace.sidecar-injector.istio.io"');
    expect(r.body.message).toContain('istiod.istio-system.svc');
    // refused at once because the Service has no endpoint, not after waiting out the timeout
    expect(r.body.message).toContain('no endpoints available for service "istiod"');
    expect(r.body.message).not.toMatch(/deadline exceeded/i);
  });

  test('running sidecars keep serving traffic with mutual TLS on their last config', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await fromSleep('/headers');
      expect(r.status).toBe(200);
      expect(clientCert(r.body).uri).toBe('spiffe://cluster.local/ns/mesh/sa/sleep');
    }
    timings.servedWhileDown = Date.now() - stoppedAt;
  });

  test('after istiod starts again, new pods are injected and config pushes resume, with no manual step', async () => {
    const started = Date.now();
    scaleIstiod(1);
    const injected = await waitFor('an injected pod admitted again', 180_000, async () => {
      const r = await dryRunPod(c.cp, 'mesh', 'web');
      return r.status === 201 ? r : undefined;
    });
    timings.injectionBack = Date.now() - started;
    expect(containerNames(injected.body)).toContain('istio-proxy');
    await waitForIstiod(c.cp);
    // a change made after the restart reaches the sidecar that ran through the outage: a fault
    // injected for httpbin shows in sleep's requests
    c.cp.apply(JSON.stringify({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'httpbin', namespace: 'mesh' },
      spec: { hosts: ['httpbin'], http: [{ fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }, route: [{ destination: { host: 'httpbin' } }] }] },
    }));
    await eventually(async () => expect((await fromSleep('/get')).status).toBe(418), 120_000);
    timings.configPushBack = Date.now() - started;
    c.cp.kubectl(['-n', 'mesh', 'delete', 'virtualservice', 'httpbin']);
    await eventually(async () => expect((await fromSleep('/get')).status).toBe(200), 60_000);
  });
});

describe('the node process killed (last: the cluster runs no pod afterwards)', () => {
  // A container's own process gets the parent-death signal (node/container.ts); what it starts
  // itself does not (pilot-agent's Envoy outlived the node before cluster.ts, seeing the node
  // process exit, ended every process left in the pods' network namespaces).
  test('SIGKILL of the node process ends every pod process of the cluster, Envoy included', async () => {
    const onNode = [];
    for (const pod of (await c.cp.get('/api/v1/pods?fieldSelector=spec.nodeName%3Dlocal-node')).items) {
      const p = await c.cluster.podOnNode(pod.metadata.namespace, pod.metadata.name);
      if (p) onNode.push(p);
    }
    const pids = onNode.flatMap((p) => p.processes.map((x) => x.pid));
    // istiod and the two apps at least, each with its containers
    expect(onNode.length).toBeGreaterThanOrEqual(3);
    expect(pids.every((pid) => alive(pid))).toBe(true);
    process.kill(c.cluster.nodePid, 'SIGKILL');
    // every pod network namespace of this cluster is named after the node's
    const podNetns = () => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${c.cp.netns.name}-p`));
    expect(podNetns().length).toBeGreaterThanOrEqual(onNode.length);
    const inPods = () => [...new Set([...pids.filter(alive), ...podNetns().flatMap((n) => spawnSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number))])];
    const survivors = await waitFor('no process left in any pod', 30_000, async () => {
      const left = inPods();
      return left.length === 0 ? left : undefined;
    }, () => `still running: ${inPods().map((pid) => `${pid} ${cmdline(pid)}`).join('; ')}`);
    expect(survivors).toEqual([]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120);
  } catch {
    return '?';
  }
}
