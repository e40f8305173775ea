/**
 * The README's chart installs, run line by line as a user would paste them (read from the
 * README itself, so an edited command is what runs): the plain install with a values file, the
 * CNI agent, ambient mode, and a profile's values file. Each block starts from what the blocks
 * before it left, as a reader's cluster would: base stays, each block's istiod and agents are
 * removed after its checks. Three substitutions, for this cluster only: `my-config-values.yaml`
 * is test/cluster/values/my-config-values.yaml, every istiod install also gets the local node's
 * upstream-Envoy values file, and helm and kubectl get the cluster's kubeconfig.
 */
import { join } from 'path';
import { UPSTREAM_ENVOY_VALUES, waitForIstiod } from '../../src/cluster/istiod';
import { waitFor } from '../../src/cluster/control-plane';
import { Cluster, dryRunPod, mustHelm, useControlPlane } from '../support/cluster';
import { README_BLOCKS_RUN, readmeBlock } from '../support/readme';

const ROOT = join(__dirname, '..', '..');
const c: Cluster = useControlPlane();

/** One README line as argv for this cluster: relative paths from the checkout, the substitutions above. */
function argvOf(line: string): { tool: 'helm' | 'kubectl'; args: string[] } {
  const [tool, ...words] = line.split(/\s+/);
  if (tool !== 'helm' && tool !== 'kubectl') throw new Error(`the README test runs helm and kubectl lines, not: ${line}`);
  const args = words.map((w) => (w === 'my-config-values.yaml' ? join(__dirname, 'values', w) : /^\.?\/?(charts|values)\//.test(w) ? join(ROOT, w) : w));
  if (tool === 'helm' && args[0] === 'install' && args[1] === 'istiod') args.push('-f', UPSTREAM_ENVOY_VALUES);
  return { tool, args };
}

/** Runs a README block; returns each line's stdout. */
function runBlock(first: (typeof README_BLOCKS_RUN)[number]): string[] {
  return readmeBlock(first).map((line) => {
    const { tool, args } = argvOf(line);
    const r = tool === 'helm' ? c.cp.helm(args, 'v4') : c.cp.kubectl(args);
    if (r.status !== 0) throw new Error(`README line failed (exit ${r.status}): ${line}\n${r.stderr}`);
    return r.stdout;
  });
}

async function daemonSetReady(namespace: string, name: string): Promise<void> {
  await waitFor(`DaemonSet ${namespace}/${name} ready on every node`, 120_000, async () => {
    const s = (await c.cp.get(`/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`))?.status;
    return s && s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled && s.updatedNumberScheduled === s.desiredNumberScheduled ? true : undefined;
  }, () => c.cluster.logTail());
}

async function meshConfig(): Promise<string> {
  return (await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio')).data.mesh;
}

function uninstall(...releases: Array<[string, string]>): void {
  for (const [name, namespace] of releases) mustHelm(c.cp, ['uninstall', name, '-n', namespace, '--wait']);
}

test('Install Istio: base, istiod with an upstream values file, and a gateway; helm show values', async () => {
  const out = runBlock('helm install istio-base    ./charts/base');
  await waitForIstiod(c.cp);
  await c.cluster.waitForRollout('istio-ingress', 'istio-ingress');
  // the values file's settings reached istiod's mesh config and its Deployment
  expect(await meshConfig()).toContain('accessLogFile: /dev/stdout');
  expect((await c.cp.get('/apis/autoscaling/v2/namespaces/istio-system/horizontalpodautoscalers/istiod')).spec.minReplicas).toBe(2);
  expect(out[3]).toContain('# ');
  expect(out[3]).toMatch(/^global:/m);
  uninstall(['istio-ingress', 'istio-ingress'], ['istiod', 'istio-system']);
});

test('with the CNI agent: its namespace labelled privileged, the agent on the node, istiod injecting for it', async () => {
  runBlock('kubectl create namespace istio-cni');
  await daemonSetReady('istio-cni', 'istio-cni-node');
  await waitForIstiod(c.cp);
  const r = await dryRunPod(c.cp, 'default', 'readme-cni', { labels: { 'sidecar.istio.io/inject': 'true' } });
  const init = (r.body.spec.initContainers ?? []).map((x: { name: string }) => x.name);
  // the agent sets up the redirection: no privileged istio-init, a validation container instead
  expect(init).toContain('istio-validation');
  expect(init).not.toContain('istio-init');
  uninstall(['istiod', 'istio-system'], ['istio-cni', 'istio-cni']);
});

test('ambient: istiod trusting the ztunnel of istio-ztunnel, the agent in ambient mode, ztunnel on every node', async () => {
  runBlock('kubectl create namespace istio-ztunnel');
  await waitForIstiod(c.cp);
  await daemonSetReady('istio-cni', 'istio-cni-node');
  // ztunnel's pods are simulated (see ambient.test.ts), but scheduled and reported ready on each node
  await daemonSetReady('istio-ztunnel', 'ztunnel');
  const env = Object.fromEntries(((await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).spec.template.spec.containers[0].env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]));
  expect(env).toMatchObject({ PILOT_ENABLE_AMBIENT: 'true', CA_TRUSTED_NODE_ACCOUNTS: 'istio-ztunnel/ztunnel' });
  uninstall(['ztunnel', 'istio-ztunnel'], ['istio-cni', 'istio-cni'], ['istiod', 'istio-system']);
});

test('a profile\'s values file installs what --set profile=demo would: access log on, no autoscaler', async () => {
  runBlock('helm install istiod ./charts/istiod -n istio-system -f values/demo/istiod.yaml');
  await waitForIstiod(c.cp);
  expect(await meshConfig()).toContain('accessLogFile: /dev/stdout');
  expect(await c.cp.get('/apis/autoscaling/v2/namespaces/istio-system/horizontalpodautoscalers/istiod')).toBeUndefined();
});
