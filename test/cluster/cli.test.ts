/**
 * The istio-charts CLI end to end on the local cluster: install by profile (demo: base,
 * istiod, ingress and egress gateways, reported ready), diff before a change, a canary
 * revision from an IstioOperator file beside it, a revision that never becomes ready failing
 * at its timeout with the reason, bad input (and a node agent's namespace that Pod Security
 * would close to it) refused with nothing applied, and uninstall of one revision, then --purge
 * waiting for the CRDs to go and leaving nothing of ours.
 */
import { join } from 'path';
import { upstreamEnvoyOperatorFile } from '../../src/cluster/istiod';
import { create, createNamespace, useControlPlane } from '../support/cluster';
import { cli, CliResult } from '../support/cli';

const c = useControlPlane();
const run = (args: string[]) => cli(args, { kubeconfig: c.cp.kubeconfig });
// the local cluster's Envoy needs three istiod settings (see src/cluster/values/upstream-envoy.yaml)
const LOCAL = ['-f', upstreamEnvoyOperatorFile()];
const ok = (r: CliResult) => {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
};

async function releases(): Promise<string[]> {
  const r = c.cp.helm(['list', '-A', '-o', 'json'], 'v4');
  return (JSON.parse(r.stdout) as Array<{ name: string; namespace: string }>).map((x) => `${x.namespace}/${x.name}`).sort();
}
/** Each release's revisions and their statuses. */
async function histories(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const r of await releases()) {
    const [namespace, name] = r.split('/');
    const history = JSON.parse(c.cp.helm(['history', name, '-n', namespace, '-o', 'json'], 'v4').stdout) as Array<{ revision: number; status: string }>;
    out[r] = history.map((h) => `${h.revision} ${h.status}`);
  }
  return out;
}
async function names(path: string): Promise<string[]> {
  return ((await c.cp.get(path)).items as any[]).map((o) => o.metadata.name).sort();
}

describe('install --set profile=demo', () => {
  let first: CliResult;
  beforeAll(async () => {
    first = await run(['install', '--set', 'profile=demo', ...LOCAL, '-y', '--timeout', '6m']);
    console.log(`install --set profile=demo to ready: ${first.seconds.toFixed(1)} s`);
  }, 900_000);

  test('installs base, istiod, the ingress and egress gateways, and reports them ready', async () => {
    ok(first);
    expect(first.stdout).toMatch(/Installation complete/);
    expect(await releases()).toEqual(['istio-system/istio-base', 'istio-system/istio-egressgateway', 'istio-system/istio-ingressgateway', 'istio-system/istiod']);
    for (const name of ['istiod', 'istio-ingressgateway', 'istio-egressgateway']) {
      const d = await c.cp.get(`/apis/apps/v1/namespaces/istio-system/deployments/${name}`);
      expect([name, d.status.readyReplicas]).toEqual([name, d.spec.replicas]);
    }
    // demo: no autoscalers, access logs on
    expect(await names('/apis/autoscaling/v2/horizontalpodautoscalers')).toEqual([]);
    expect((await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio')).data.mesh).toContain('accessLogFile: /dev/stdout');
  });

  test('diff of the same inputs finds nothing to change; a changed value is shown and not written', async () => {
    const same = ok(await run(['diff', '--set', 'profile=demo', ...LOCAL]));
    expect(same.stdout).toMatch(/No changes/);
    const before = await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');
    const changed = ok(await run(['diff', '--set', 'profile=demo', ...LOCAL, '--set', 'values.pilot.traceSampling=5']));
    expect(changed.stdout).toMatch(/~ Deployment\/istio-system\/istiod \(istiod\)\n\s+spec\.template\.spec\.containers/);
    expect(changed.stdout).toMatch(/0 to create, \d+ to change, 0 to delete/);
    const after = await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  test('a second install of the same inputs upgrades in place', async () => {
    const again = ok(await run(['install', '--set', 'profile=demo', ...LOCAL, '-y']));
    expect(again.stdout).toMatch(/Installation complete/);
    const history = JSON.parse(c.cp.helm(['history', 'istiod', '-n', 'istio-system', '-o', 'json'], 'v4').stdout) as unknown[];
    expect(history).toHaveLength(2);
  });

  test('bad input is refused with one line naming it, exit 2, nothing applied', async () => {
    const before = await histories();
    for (const [args, named] of [
      [['--set', 'profile=tiny'], /profile "tiny".*valid profiles: default, demo/],
      [['--set', 'components.pilot.k8s.replicas=2'], /spec\.components\.pilot\.k8s\.replicas/],
      [['-f', join(__dirname, 'operator', 'malformed.yaml')], /malformed\.yaml/],
      // values only the charts judge: base would have been upgraded before istiod's release failed
      [['--set', 'profile=demo', ...LOCAL, '--set', 'values.pilot.autoscaleMin=-1'], /^error: spec\.values\.pilot\.autoscaleMin: must be at least 0, got -1 \(in --set values\.pilot\.autoscaleMin=-1\)$/],
      [['--set', 'profile=demo', ...LOCAL, '--set', 'values.gateways.istio-ingressgateway.externalTrafficPolicy=Foo'], /^error: spec\.values\.gateways\.istio-ingressgateway\.externalTrafficPolicy: must be one of "", "Cluster", "Local", got "Foo"/],
      [['--set', 'profile=ambient', ...LOCAL, '--set', 'values.cni.provider=foo'], /^error: spec\.values\.cni\.provider: must be one of "default", "multus", got "foo" \(in --set values\.cni\.provider=foo\)$/],
    ] as Array<[string[], RegExp]>) {
      const r = await run(['install', ...args, '-y']);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(named);
    }
    // every release's history as it was: not one revision added, by any of them
    expect(await histories()).toEqual(before);
  });

  test('a node agent bound for a namespace whose Pod Security level rejects its pods is refused before anything is applied', async () => {
    await createNamespace(c.cp, 'psa-baseline', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    // the apiserver would reject the agent's pods there (a privileged container stands in for them)
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } };
    expect((await create(c.cp, '/api/v1/namespaces/psa-baseline/pods', pod, true)).body.message).toContain('violates PodSecurity "baseline:latest"');
    const before = [await releases(), (await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).metadata.generation];
    const r = await run(['install', '--set', 'profile=ambient', ...LOCAL, '--set', 'components.cni.namespace=psa-baseline', '-y', '--timeout', '60s']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: components.cni.namespace psa-baseline: the namespace enforces Pod Security "baseline", which rejects the pods of the CNI node agent (istio-cni-node); ' +
        'they need "privileged" (kubectl label namespace psa-baseline pod-security.kubernetes.io/enforce=privileged --overwrite), or choose another namespace',
    ]);
    expect([await releases(), (await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).metadata.generation]).toEqual(before);
  });

  test('a profile without the egress gateway prunes its release (diff says so first); releases made by hand are left alone', async () => {
    c.cp.helm(['install', 'my-gateway', join(__dirname, '..', '..', 'charts', 'gateway'), '-n', 'istio-system', '--set', 'service.type=ClusterIP'], 'v4');
    const preview = ok(await run(['diff', '--set', 'profile=default', ...LOCAL]));
    expect(preview.stdout).toContain('- release istio-system/istio-egressgateway (istio-egressgateway)');
    expect(preview.stdout).not.toContain('my-gateway');
    const r = ok(await run(['install', '--set', 'profile=default', ...LOCAL, '-y']));
    expect(r.stdout).toContain('Pruned istio-system/istio-egressgateway');
    expect(await releases()).toEqual(['istio-system/istio-base', 'istio-system/istio-ingressgateway', 'istio-system/istiod', 'istio-system/my-gateway']);
    c.cp.helm(['uninstall', 'my-gateway', '-n', 'istio-system'], 'v4');
  }, 600_000);

  describe('a canary revision from an IstioOperator file', () => {
    beforeAll(async () => {
      ok(await run(['install', ...LOCAL, '-f', join(__dirname, 'operator', 'canary.yaml'), '-y', '--timeout', '5m']));
    }, 600_000);

    test('runs beside the default revision', async () => {
      expect(await releases()).toContain('istio-system/istiod-canary');
      const d = await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod-canary');
      expect(d.status.readyReplicas).toBe(1);
      expect(await names('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations')).toEqual(
        expect.arrayContaining(['istio-sidecar-injector', 'istio-sidecar-injector-canary']),
      );
    });

    test('uninstall --revision canary removes it and leaves the default revision', async () => {
      ok(await run(['uninstall', '--revision', 'canary', '-y']));
      expect(await releases()).not.toContain('istio-system/istiod-canary');
      expect(await names('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations')).not.toContain('istio-sidecar-injector-canary');
      expect((await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).status.readyReplicas).toBe(1);
    });

    test('a revision whose istiod cannot be scheduled fails at the timeout, saying which object waits and why', async () => {
      const r = await run(['install', ...LOCAL, '--set', 'profile=minimal', '--set', 'revision=stuck', '--set', 'components.pilot.k8s.nodeSelector.zone=nowhere', '-y', '--timeout', '40s']);
      // (40 s, though the outcome is known sooner: the scheduler must have tried the pod by then, on a loaded machine too)
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Installation failed: not ready after 40 s: Deployment/istio-system/istiod-stuck: 0/1 replicas of the new version ready');
      // explained from the pod's state, as the scheduler reported it
      expect(r.stderr).toMatch(/pod istiod-stuck-\S+: Pending, unschedulable: .*node affinity\/selector/);
      ok(await run(['uninstall', '--revision', 'stuck', '-y']));
      expect(await releases()).not.toContain('istio-system/istiod-stuck');
      expect((await c.cp.get('/apis/apps/v1/namespaces/istio-system/deployments/istiod')).status.readyReplicas).toBe(1);
    });
  });

  test('uninstall --purge waits for the CRDs to go: one a finalizer holds fails it at the timeout, named with its resource', async () => {
    c.cp.apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: held, namespace: default, finalizers: [example.com/hold]}
spec: {hosts: [held.example.com], http: [{route: [{destination: {host: held.example.com}}]}]}
`);
    const r = await run(['uninstall', '--purge', '-y', '--timeout', '30s']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the apiserver has not removed a deleted CRD after 30 s; virtualservices.networking.istio.io: 1 left (VirtualService default/held held by finalizer example.com/hold)');
    expect(r.stdout).not.toMatch(/Uninstall complete/);
    // the releases went first; only the held CRD waits
    expect(await releases()).toEqual([]);
    expect((await names('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).filter((n) => n.endsWith('.istio.io'))).toEqual(['virtualservices.networking.istio.io']);
    c.cp.kubectl(['patch', 'virtualservice', 'held', '-n', 'default', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  }, 300_000);

  test('uninstall --purge (run again) leaves no object of ours', async () => {
    const r = ok(await run(['uninstall', '--purge', '-y']));
    expect(r.stdout).toMatch(/Uninstall complete/);
    expect(await releases()).toEqual([]);
    const istio = (n: string) => /istio/.test(n);
    expect((await names('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations')).filter(istio)).toEqual([]);
    expect((await names('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations')).filter(istio)).toEqual([]);
    expect((await names('/apis/rbac.authorization.k8s.io/v1/clusterroles')).filter(istio)).toEqual([]);
    expect((await names('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).filter(istio)).toEqual([]);
    expect((await names('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).filter((n) => n.endsWith('.istio.io'))).toEqual([]);
    expect(await names('/api/v1/configmaps?fieldSelector=metadata.name%3Distio-ca-root-cert')).toEqual([]);
    expect(await names('/api/v1/configmaps?fieldSelector=metadata.name%3Distio-ca-crl')).toEqual([]);
    expect((await names('/apis/coordination.k8s.io/v1/namespaces/istio-system/leases')).filter(istio)).toEqual([]);
    const left = [
      ...(await names('/api/v1/namespaces/istio-system/configmaps')),
      ...(await names('/api/v1/namespaces/istio-system/secrets')),
      ...(await names('/api/v1/namespaces/istio-system/serviceaccounts')),
      ...(await names('/api/v1/namespaces/istio-system/services')),
    ];
    expect(left.filter((n) => n !== 'kube-root-ca.crt' && n !== 'default')).toEqual([]);
  }, 300_000);
});
