/**
 * The ambient profile on the local cluster, installed by the CLI: base and istiod in
 * istio-system (Pod Security `restricted`), the cni and ztunnel node agents in kube-system
 * (`privileged`, which their host paths and capabilities need). ztunnel cannot be built from
 * the registries this machine reaches, so its pods are simulated (by kwok on the kwok node,
 * by the process node on the local one) and the test says so; what is real is istiod's CA
 * acting on a ztunnel-style request: a certificate for a pod of the ztunnel's node, asked
 * for with the ztunnel's own token, is granted under the pod's identity, and refused to any
 * other service account or for an identity with no pod on that node.
 */
import { X509Certificate } from 'crypto';
import { SIMULATED } from '../../src/cluster/node/simulation';
import { KWOK_NODE } from '../../src/cluster/cluster';
import { containerNames, create, createNamespace, dryRunPod, useControlPlane } from '../support/cluster';
import { cli, CliResult } from '../support/cli';
import { createCertificate, newCsr } from '../support/istio-ca';
import { eventually } from '../support/mesh';

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };
const PRIVILEGED = { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'latest' };
const NODE_AGENTS = 'kube-system';

let installed: CliResult;
const c = useControlPlane(async (cluster) => {
  await createNamespace(cluster.cp, 'istio-system', RESTRICTED);
  const ks = await cluster.cp.api('PATCH', `/api/v1/namespaces/${NODE_AGENTS}`, { metadata: { labels: PRIVILEGED } }, 'application/merge-patch+json');
  if (ks.status !== 200) throw new Error(`labelling ${NODE_AGENTS}: ${JSON.stringify(ks.body)}`);
  installed = await cli(
    ['install', '--set', 'profile=ambient', '--set', `components.cni.namespace=${NODE_AGENTS}`, '--set', `components.ztunnel.namespace=${NODE_AGENTS}`, '-y', '--timeout', '5m'],
    { kubeconfig: cluster.cp.kubeconfig },
  );
  console.log(`install --set profile=ambient to ready: ${installed.seconds.toFixed(1)} s`);
});

async function releases(): Promise<string[]> {
  const r = c.cp.helm(['list', '-A', '-o', 'json'], 'v4');
  return (JSON.parse(r.stdout) as Array<{ name: string; namespace: string; chart: string }>).map((x) => `${x.namespace}/${x.name} ${x.chart.replace(/-[\d.]+.*$/, '')}`).sort();
}

const podsOf = async (namespace: string, selector: string) =>
  (await c.cp.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`)).items as any[];

test('install --set profile=ambient installs base, istiod, cni and ztunnel, and waits until every node runs both agents', async () => {
  if (installed.status !== 0) throw new Error(`exit ${installed.status}\n${installed.stdout}\n${installed.stderr}`);
  expect(installed.stdout).toMatch(/Installation complete/);
  expect(await releases()).toEqual([`istio-system/istio-base base`, 'istio-system/istiod istiod', `${NODE_AGENTS}/istio-cni cni`, `${NODE_AGENTS}/ztunnel ztunnel`].sort());
  for (const name of ['istio-cni-node', 'ztunnel']) {
    const ds = await c.cp.get(`/apis/apps/v1/namespaces/${NODE_AGENTS}/daemonsets/${name}`);
    // one pod per node: the process node and the kwok node
    expect([name, ds.status.desiredNumberScheduled, ds.status.numberReady]).toEqual([name, 2, 2]);
  }
});

test('ztunnel is simulated (no program stands in for its image) and the pods say so', async () => {
  const pods = await podsOf(NODE_AGENTS, 'app=ztunnel');
  expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
  // kwok simulates the pod on its node; the process node simulates the one bound to it
  const local = pods.filter((p) => p.spec.nodeName !== KWOK_NODE);
  expect(local.map((p) => p.status.message)).toEqual([`${SIMULATED}: no program stands in for an image of this pod`]);
  // and the kubelet API says so, on either node, instead of serving logs nobody wrote
  for (const pod of pods) {
    const r = c.cp.kubectl(['logs', '-n', NODE_AGENTS, pod.metadata.name]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(pod.spec.nodeName === KWOK_NODE ? `pod ${NODE_AGENTS}/${pod.metadata.name} is simulated by kwok on ${KWOK_NODE} (no program stands in for ` : `pod ${NODE_AGENTS}/${pod.metadata.name} is ${SIMULATED} (no program stands in for an image of this pod)`);
  }
});

test('the CNI agent in ambient mode is simulated on the local node: it would write its rules into this machine\'s own network namespace', async () => {
  const pods = await podsOf(NODE_AGENTS, 'k8s-app=istio-cni-node');
  expect(pods.filter((p) => p.spec.nodeName !== KWOK_NODE).map((p) => p.status.message)).toEqual([`${SIMULATED}: the ambient CNI agent would write its host rules into this machine's own network namespace`]);
});

test('the ambient profile reached the charts: istiod runs ambient and trusts the ztunnel of kube-system, the CNI agent redirects for ambient', async () => {
  const istiod = await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');
  const env = Object.fromEntries(istiod.spec.template.spec.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  expect(env).toMatchObject({ PILOT_ENABLE_AMBIENT: 'true', CA_TRUSTED_NODE_ACCOUNTS: `${NODE_AGENTS}/ztunnel` });
  const cm = await c.cp.get(`/api/v1/namespaces/${NODE_AGENTS}/configmaps/istio-cni-config`);
  expect(cm.data.AMBIENT_ENABLED).toBe('true');
});

describe('Pod Security: each namespace at the level its pods need', () => {
  test('istio-system enforces restricted and istiod runs there; kube-system is privileged and the node agents run there', async () => {
    expect((await c.cp.get('/api/v1/namespaces/istio-system')).metadata.labels).toMatchObject(RESTRICTED);
    expect((await c.cp.get(`/api/v1/namespaces/${NODE_AGENTS}`)).metadata.labels).toMatchObject(PRIVILEGED);
    expect((await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).status.readyReplicas).toBe(1);
  });

  test.each([
    ['istio-cni-node', /privileged|hostPath|capabilities/],
    ['ztunnel', /hostPath|capabilities/],
  ])('the %s pod, submitted to a namespace enforcing baseline, is refused: it needs privileged', async (name, why) => {
    await createNamespace(c.cp, `baseline-${name}`, { 'pod-security.kubernetes.io/enforce': 'baseline' }).catch(() => undefined);
    const ds = await c.cp.get(`/apis/apps/v1/namespaces/${NODE_AGENTS}/daemonsets/${name}`);
    const spec = structuredClone(ds.spec.template.spec);
    // the namespace has no such account; admission of the account comes before Pod Security
    delete spec.serviceAccountName;
    delete spec.serviceAccount;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: `${name}-`, labels: ds.spec.template.metadata.labels }, spec };
    const r = await create(c.cp, `/api/v1/namespaces/baseline-${name}/pods`, pod, true);
    expect(r.status).toBe(403);
    expect(String(r.body.message)).toMatch(why);
  });
});

describe('istiod\'s CA and ztunnel-style requests (CA_TRUSTED_NODE_ACCOUNTS)', () => {
  let ztunnelPod: any;
  let appPod: any;
  let root: string;
  const APPS = 'ambient-apps';

  beforeAll(async () => {
    await createNamespace(c.cp, APPS, { 'istio.io/dataplane-mode': 'ambient' });
    for (const sa of ['app', 'other']) {
      const r = await create(c.cp, `/api/v1/namespaces/${APPS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
      if (r.status !== 201) throw new Error(`ServiceAccount ${sa}: ${JSON.stringify(r.body)}`);
    }
    // an image with no local stand-in: the pod lands on the kwok node, beside that node's ztunnel
    // (on the local node the ambient agent is not run, so nothing would set up such a pod there)
    const created = await create(c.cp, `/api/v1/namespaces/${APPS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', labels: { app: 'app' } },
      spec: { serviceAccountName: 'app', containers: [{ name: 'app', image: 'registry.example/ambient-workload:1' }] },
    });
    if (created.status !== 201) throw new Error(`pod: ${JSON.stringify(created.body)}`);
    appPod = await eventually(async () => {
      const p = await c.cp.get(`/api/v1/namespaces/${APPS}/pods/app`);
      expect(p.status.phase).toBe('Running');
      return p;
    }, 60_000);
    ztunnelPod = (await podsOf(NODE_AGENTS, 'app=ztunnel')).find((p) => p.spec.nodeName === appPod.spec.nodeName);
    const secret = await c.cp.get('/api/v1/namespaces/istio-system/secrets/istio-ca-secret');
    root = Buffer.from(secret.data['ca-cert.pem'], 'base64').toString();
  }, 120_000);

  /** A token of the service account, bound to a pod as the kubelet's projected tokens are. */
  async function podToken(namespace: string, sa: string, pod: any): Promise<string> {
    const r = await create(c.cp, `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      spec: { audiences: ['istio-ca'], expirationSeconds: 600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } },
    });
    if (r.status !== 201) throw new Error(`token for ${namespace}/${sa}: ${JSON.stringify(r.body)}`);
    return r.body.status.token;
  }

  /** What istiod logged of impersonation, to tell why a request was refused. */
  const istiodSays = (): string =>
    c.cp.kubectl(['logs', '-n', 'istio-system', '-l', 'app=istiod', '-c', 'discovery', '--tail=-1']).stdout
      .split('\n').filter((l) => /mpersonat/.test(l)).slice(-5).join('\n');
  const istiodAddress = async () => (await podsOf('istio-system', 'app=istiod'))[0].status.podIP as string;
  const identity = (ns: string, sa: string) => `spiffe://cluster.local/ns/${ns}/sa/${sa}`;

  test('the ambient namespace\'s pod runs without a sidecar: dataplane-mode=ambient does not inject, istio-injection=enabled still does', async () => {
    expect(appPod.spec.nodeName).toBe(KWOK_NODE);
    expect(containerNames(appPod)).toEqual(['app']);
    // the injector is there and serves: the same pod in a sidecar namespace gets the proxy
    await createNamespace(c.cp, 'sidecar-apps', { 'istio-injection': 'enabled' });
    const injected = await dryRunPod(c.cp, 'sidecar-apps', 'app');
    expect(injected.status).toBe(201);
    expect(containerNames(injected.body)).toContain('istio-proxy');
    // ambient's injection template: istio-validation, no istio-init (the CNI agent captures)
    expect(containerNames(injected.body)).not.toContain('istio-init');
  });

  test('the ztunnel of the pod\'s node gets a certificate with the pod\'s identity', async () => {
    expect(ztunnelPod?.spec.serviceAccountName).toBe('ztunnel');
    const r = await createCertificate({ address: await istiodAddress(), rootCert: root, token: await podToken(NODE_AGENTS, 'ztunnel', ztunnelPod), csr: newCsr(), clusterId: 'Kubernetes', impersonate: identity(APPS, 'app') });
    if (r.grpcStatus !== 0) throw new Error(`refused (${r.grpcStatus} ${r.grpcMessage}); istiod logged:\n${istiodSays()}`);
    expect(new X509Certificate(r.certChain[0]).subjectAltName).toBe(`URI:${identity(APPS, 'app')}`);
  });

  test('the same request from another service account (the pod\'s own) is refused', async () => {
    const r = await createCertificate({ address: await istiodAddress(), rootCert: root, token: await podToken(APPS, 'app', appPod), csr: newCsr(), clusterId: 'Kubernetes', impersonate: identity(APPS, 'app') });
    expect([r.grpcStatus, r.grpcMessage]).toEqual([16, 'request impersonation authentication failure']);
    expect(istiodSays()).toMatch(/is not allowed to impersonate/);
  });

  test('the ztunnel asking for an identity with no pod on its node is refused', async () => {
    const r = await createCertificate({ address: await istiodAddress(), rootCert: root, token: await podToken(NODE_AGENTS, 'ztunnel', ztunnelPod), csr: newCsr(), clusterId: 'Kubernetes', impersonate: identity(APPS, 'other') });
    expect([r.grpcStatus, r.grpcMessage]).toEqual([16, 'request impersonation authentication failure']);
    expect(istiodSays()).toMatch(/no instances of "ambient-apps\/other" found on node/);
  });
});

// last: it takes the control plane away
test('uninstall --revision default removes istiod and the node agents installed with it; base stays', async () => {
  const r = await cli(['uninstall', '--revision', 'default', '-y'], { kubeconfig: c.cp.kubeconfig });
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  expect(r.stdout).toMatch(/removing release ztunnel \(ztunnel-[\d.]+\) in kube-system/);
  expect(await releases()).toEqual(['istio-system/istio-base base']);
  const left = (await c.cp.get(`/apis/apps/v1/namespaces/${NODE_AGENTS}/daemonsets`)).items.map((d: any) => d.metadata.name);
  expect(left).toEqual([]);
});
