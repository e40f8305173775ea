/**
 * The CLI's kube-inject, check and version verbs against a real control plane, run as the user
 * runs them (a subprocess with --kubeconfig): injection through the real istiod matches what
 * the apiserver's own admission gives a pod, --offline matches online, check finds planted
 * problems and is clean once they are fixed, version lists the istiod it finds.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { cleanEnv } from '../../src/cluster/control-plane';
import { gatewayApiCrds } from '../../src/cluster/gateway-api';
import { UPSTREAM_ENVOY_VALUES } from '../../src/cluster/istiod';
import { ISTIO_VERSION } from '../../src/versions';
import { waitFor } from '../../src/cluster/control-plane';
import { create, createNamespace, installIstio, useControlPlane } from '../support/cluster';

const BIN = join(__dirname, '..', '..', 'bin', 'istio-charts.js');
const scratch = mkdtempSync(join(tmpdir(), 'cli-checks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const c = useControlPlane(async (cluster) => {
  // the default revision with a revision tag, as a canary rollout leaves it
  await installIstio(cluster, ['--set', 'revisionTags={prod}']);
  await createNamespace(cluster.cp, 'apps', { 'istio-injection': 'enabled' });
  await createNamespace(cluster.cp, 'shop', { 'istio.io/rev': 'prod' });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { kubeconfig?: string; input?: string } = {}): Run {
  const r = spawnSync('node', [BIN, ...args, '--kubeconfig', opts.kubeconfig ?? c.cp.kubeconfig], {
    encoding: 'utf8', input: opts.input, env: cleanEnv(), timeout: 180_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

// written as the apiserver defaults them before the webhook sees a pod (a port's protocol, a
// probe's scheme and timeout), since istiod copies ports and probes into the proxy's environment
// (ISTIO_META_POD_PORTS, ISTIO_KUBE_APP_PROBERS); kube-inject sees the manifest as written
const MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: apps
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, version: v1}
    spec:
      containers:
      - name: app
        image: mccutchen/go-httpbin:v2.15.0
        ports:
        - containerPort: 8080
          protocol: TCP
        readinessProbe:
          httpGet: {path: /status/200, port: 8080, scheme: HTTP}
          timeoutSeconds: 1
`;

const all = (pod: any): any[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
const names = (pod: any): string[] => all(pod).map((x: any) => x.name);
const proxyOf = (pod: any) => all(pod).find((x: any) => x.name === 'istio-proxy');
/** What injection decides, without the fields the apiserver defaults afterwards (pull policy, fieldRef apiVersion, ...). */
function injected(pod: any) {
  const proxy = proxyOf(pod);
  return {
    containers: names(pod),
    status: JSON.parse(pod.metadata.annotations['sidecar.istio.io/status']),
    image: proxy.image,
    args: proxy.args,
    env: Object.fromEntries(proxy.env.map((e: any) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath ?? Object.keys(e.valueFrom ?? {})[0]])),
    labels: pod.metadata.labels,
  };
}

function templateOf(out: string): any {
  const deployment = YAML.parseAllDocuments(out).map((d) => d.toJS()).find((o: any) => o?.kind === 'Deployment');
  return deployment.spec.template;
}

describe('kube-inject', () => {
  let online: any;

  test('injects a Deployment through the real istiod as the apiserver\'s admission injects its pod', async () => {
    const r = cli(['kube-inject', '-f', file('app.yaml', MANIFEST)]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d: any) => d.kind)).toEqual(['Service', 'Deployment']);
    expect(docs[0]).toEqual(YAML.parseAllDocuments(MANIFEST)[0].toJS());
    online = templateOf(r.stdout);
    const containers = names(online);
    expect(containers).toContain('istio-proxy');
    // classic (istio-init captures) or native (the proxy is a restartable init container)
    const native = online.spec.initContainers.some((x: any) => x.name === 'istio-proxy' && x.restartPolicy === 'Always');
    expect(native || containers.includes('istio-init')).toBe(true);
    expect(proxyOf(online).image).toBe(`docker.io/istio/proxyv2:${ISTIO_VERSION}`);
    const env = injected(online).env;
    expect(env.ISTIO_META_WORKLOAD_NAME).toBe('web');
    expect(env.ISTIO_META_OWNER).toBe('kubernetes://apis/apps/v1/namespaces/apps/deployments/web');

    // the same template as a pod of that Deployment, created (dry run) in an injection-enabled namespace
    const template = YAML.parseAllDocuments(MANIFEST)[1].toJS().spec.template;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...template.metadata, generateName: 'web-', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '5a1c2c3e-0000-4000-8000-000000000001', controller: true }] },
      spec: template.spec,
    };
    const dry = await create(c.cp, '/api/v1/namespaces/apps/pods', pod, true);
    expect(dry.status).toBe(201);
    expect(injected(online)).toEqual(injected(dry.body));
  });

  test('--offline gives the same sidecar as the cluster\'s istiod', () => {
    const native = online.spec.initContainers.some((x: any) => x.name === 'istio-proxy');
    const r = cli(['kube-inject', '--offline', '-f', '-', '--values', UPSTREAM_ENVOY_VALUES, ...(native ? ['--native-sidecar'] : [])], { input: MANIFEST });
    expect(r.status).toBe(0);
    expect(injected(templateOf(r.stdout))).toEqual(injected(online));
  });

  test('--offline for a canary revision, written to -o', () => {
    const out = join(scratch, 'canary.yaml');
    const r = cli(['kube-inject', '--offline', '-r', 'canary', '-f', file('app-canary.yaml', MANIFEST), '-o', out]);
    expect([r.status, r.stdout]).toEqual([0, '']);
    const template = templateOf(readFileSync(out, 'utf8'));
    expect(injected(template).status.revision).toBe('canary');
    // the proxy's config names the canary's istiod
    expect(JSON.stringify(proxyOf(template).env)).toContain('istiod-canary.istio-system.svc:15012');
  });

  test('a revision tag injects through the revision it points at', () => {
    const r = cli(['kube-inject', '-f', file('app-prod.yaml', MANIFEST), '-r', 'prod']);
    expect(r.status).toBe(0);
    expect(injected(templateOf(r.stdout))).toEqual(injected(online));
  });

  test('a revision no istiod serves is an error naming the revisions there are; a missing file is bad input', () => {
    const r = cli(['kube-inject', '-f', file('app2.yaml', MANIFEST), '-r', 'canary']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no istiod serves revision "canary"');
    expect(r.stderr).toContain('revisions in the cluster: default');
    expect(cli(['kube-inject', '-f', join(scratch, 'missing.yaml')]).status).toBe(2);
    // usage mistakes of a verb are bad input too
    expect(cli(['kube-inject']).status).toBe(2);
    expect(cli(['check', '--pre', '--post']).status).toBe(2);
  });
});

const PLANTED = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: foreign-policy
webhooks:
- name: validate.foreign.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  clientConfig:
    service: {namespace: foreign, name: policy-agent, path: /validate}
  namespaceSelector:
    matchLabels: {foreign-policy: enforced}
  rules:
  - {operations: [CREATE, UPDATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-stale
  labels: {istio.io/tag: stale, istio.io/rev: gone, app: sidecar-injector}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
  clientConfig:
    service: {namespace: istio-system, name: istiod, path: /inject, port: 443}
  namespaceSelector:
    matchExpressions:
    - {key: istio.io/rev, operator: In, values: [stale]}
  rules:
  - {operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}
`;

describe('check', () => {
  test('a healthy install is clean, before and after', () => {
    const post = cli(['check']);
    expect([post.status, post.stdout]).toEqual([0, expect.stringContaining('✔ No issues found: the control plane is healthy.')]);
    expect(post.stdout).toContain('✔ istiod istio-system/istiod (revision default, 1.31.4) is Available');
    expect(post.stdout).toContain('✔ istiod of revision default answers an AdmissionReview with a sidecar (through istio-sidecar-injector)');
    expect(post.stdout).toContain('✔ a dry-run pod in namespace apps gets istio-proxy from revision default');
    expect(post.stdout).toContain('✔ revision tag prod points at live revision default');
    expect(post.stdout).toContain('✔ namespace shop (istio.io/rev=prod) is injected by revision default (tag prod)');
    const unknown = cli(['check', '-r', 'nothing']);
    expect([unknown.status, unknown.stdout]).toEqual([1, expect.stringContaining('✘ error: no istiod of revision nothing (revisions: default)  fix: pick an installed revision with -r')]);
    const pre = JSON.parse(cli(['check', '--pre', '-o', 'json']).stdout);
    expect(pre).toMatchObject({ mode: 'pre', errors: 0 });
    expect(pre.passed.map((p: any) => p.check)).toEqual(expect.arrayContaining(['api-server', 'kubernetes-version', 'permissions']));
    expect(pre.findings).toContainEqual(expect.objectContaining({ check: 'existing-install', severity: 'info', message: expect.stringContaining('istiod istio-system/istiod') }));
  });

  test('finds a webhook without its Service and a tag pointing at a missing revision, and is clean once they are gone', () => {
    c.cp.apply(PLANTED);
    try {
      const r = cli(['check']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/✘ error: ValidatingWebhookConfiguration foreign-policy fails closed but Service foreign\/policy-agent does not exist: webhook validate\.foreign\.example\.com refuses CREATE\/UPDATE pods {2}fix: delete it/);
      expect(r.stdout).toMatch(/✘ error: revision tag stale points at revision gone, which has no istiod \(revisions: default\).*fix: /);
      const json = JSON.parse(cli(['check', '-o', 'json']).stdout);
      expect(json.errors).toBe(2);
      expect(json.findings.filter((f: any) => f.severity !== 'info').map((f: any) => [f.check, f.severity])).toEqual([['webhook', 'error'], ['revision-tag', 'error']]);
    } finally {
      const d = c.cp.kubectl(['delete', 'validatingwebhookconfiguration/foreign-policy', 'mutatingwebhookconfiguration/istio-revision-tag-stale']);
      expect(d.status).toBe(0);
    }
    const after = cli(['check']);
    expect([after.status, after.stdout]).toEqual([0, expect.stringContaining('✔ No issues found')]);
  });
});

const FOREIGN_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.extensions.istio.io
  labels: {app.kubernetes.io/version: 1.29.0}
spec:
  group: extensions.istio.io
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

describe('check --pre', () => {
  test('a user who may only view is told each permission the install needs', async () => {
    c.cp.apply(`apiVersion: v1
kind: ServiceAccount
metadata: {name: viewer, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cli-checks-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: viewer, namespace: default}]
`);
    const t = await create(c.cp, '/api/v1/namespaces/default/serviceaccounts/viewer/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
    expect(t.status).toBe(201);
    const kubeconfig = file('viewer-kubeconfig', JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'viewer',
      clusters: [{ name: 'local', cluster: { server: c.cp.server, 'certificate-authority': c.cp.pki.caCert } }],
      users: [{ name: 'viewer', user: { token: t.body.status.token } }],
      contexts: [{ name: 'viewer', context: { cluster: 'local', user: 'viewer' } }],
    }));
    const r = cli(['check', '--pre', '-o', 'json'], { kubeconfig });
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    const denied = json.findings.filter((f: any) => f.check === 'permissions' && f.severity === 'error').map((f: any) => f.message);
    expect(denied).toHaveLength(13);
    expect(denied).toEqual(expect.arrayContaining([
      'not allowed to create namespaces',
      'not allowed to create customresourcedefinitions.apiextensions.k8s.io',
      'not allowed to create mutatingwebhookconfigurations.admissionregistration.k8s.io',
      'not allowed to create deployments.apps in istio-system',
      // the node agents' DaemonSets
      'not allowed to create daemonsets.apps in istio-system',
      'not allowed to create rolebindings.rbac.authorization.k8s.io in istio-system',
    ]));
    // what a viewer cannot read is a warning, not a crash
    expect(json.findings).toContainEqual(expect.objectContaining({ check: 'crds', severity: 'warning', message: expect.stringContaining('could not check crds') }));
  });

  test('CRDs of another Istio release, outside Helm, are reported until removed', () => {
    c.cp.apply(FOREIGN_CRD);
    try {
      const r = cli(['check', '--pre']);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('! warning: 1 Istio CRD (widgets.extensions.istio.io) is from Istio 1.29.0, not 1.31.4');
      expect(r.stdout).toContain('✘ error: 1 Istio CRD is not managed by Helm (e.g. widgets.extensions.istio.io): helm install of the base chart refuses to take them over');
    } finally {
      expect(c.cp.kubectl(['delete', 'crd', 'widgets.extensions.istio.io']).status).toBe(0);
    }
    expect(cli(['check', '--pre']).status).toBe(0);
  });
});

const ALPHA_GRPCROUTE = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: grpcroutes.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.0.0, api-approved.kubernetes.io: "https://github.com/kubernetes-sigs/gateway-api/pull/2466"}
spec:
  group: gateway.networking.k8s.io
  names: {kind: GRPCRoute, plural: grpcroutes, singular: grpcroute, listKind: GRPCRouteList}
  scope: Namespaced
  versions:
  - name: v1alpha2
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

describe('check and the Gateway API CRDs', () => {
  test('an old GRPCRoute CRD is a warning; the standard channel istiod is built against is fine', async () => {
    const none = JSON.parse(cli(['check', '-o', 'json']).stdout);
    expect(none.findings).toContainEqual(expect.objectContaining({ check: 'gateway-api', severity: 'info', message: expect.stringContaining('no Gateway API CRDs') }));
    c.cp.apply(ALPHA_GRPCROUTE);
    const old = cli(['check']);
    expect(old.status).toBe(0);
    expect(old.stdout).toContain('! warning: Gateway API CRDs (v1.0.0) do not serve v1 for grpcroutes; istiod 1.31.4 reads v1');
    expect(c.cp.kubectl(['delete', 'crd', 'grpcroutes.gateway.networking.k8s.io']).status).toBe(0);
    c.cp.apply(gatewayApiCrds());
    const current = cli(['check']);
    expect(current.status).toBe(0);
    expect(current.stdout).toMatch(/✔ Gateway API CRDs v1\.\d+\.\d+ serve the versions istiod reads/);
  });
});

describe('version', () => {
  test('lists the client and the istiod and releases found in the cluster', () => {
    const text = cli(['version']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`client: istio-charts 0.1.0, Istio ${ISTIO_VERSION}`);
    expect(text.stdout).toMatch(new RegExp(`istio-system\\s+default\\s+istiod\\s+${ISTIO_VERSION.replace(/\./g, '\\.')}\\s+yes`));
    const json = JSON.parse(cli(['version', '-o', 'json']).stdout);
    expect(json.client).toEqual({ istioCharts: '0.1.0', istio: ISTIO_VERSION, charts: { base: ISTIO_VERSION, istiod: ISTIO_VERSION, gateway: ISTIO_VERSION, cni: ISTIO_VERSION, ztunnel: ISTIO_VERSION } });
    expect(json.cluster.istiod).toEqual([{ namespace: 'istio-system', name: 'istiod', revision: 'default', tag: ISTIO_VERSION, available: true }]);
    expect(json.cluster.releases.map((r: any) => `${r.name}:${r.chart}-${r.chartVersion}`)).toEqual([`istio-base:base-${ISTIO_VERSION}`, `istiod:istiod-${ISTIO_VERSION}`]);
  });

  test('a cluster that does not answer is reported, not an error', () => {
    const kubeconfig = file('dead-kubeconfig', JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'dead',
      clusters: [{ name: 'dead', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'x' } }],
      contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'u' } }],
    }));
    const started = Date.now();
    const r = cli(['version'], { kubeconfig });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cluster: https://127.0.0.1:1 not reachable');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('check and kube-inject with problems in the mesh', () => {
  test('a namespace asking for a revision nobody serves is an error until it is relabelled', async () => {
    await createNamespace(c.cp, 'orphan', { 'istio.io/rev': 'nothing' });
    const r = cli(['check', '-o', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.filter((f: any) => f.severity !== 'info')).toEqual([expect.objectContaining({ check: 'injection', severity: 'error', message: expect.stringContaining('namespace orphan asks for injection (istio.io/rev=nothing) but no injector webhook selects it') })]);
    expect(c.cp.kubectl(['label', 'namespace', 'orphan', 'istio.io/rev=prod', '--overwrite']).status).toBe(0);
    expect(cli(['check']).status).toBe(0);
  });

  // last: it leaves the control plane down
  test('with istiod scaled to zero, check reports it and kube-inject says istiod does not answer', async () => {
    expect(c.cp.kubectl(['-n', 'istio-system', 'scale', 'deployment/istiod', '--replicas=0']).status).toBe(0);
    await waitFor('istiod\'s endpoints to go', 90_000, async () => {
      const slices = await c.cp.get('/apis/discovery.k8s.io/v1/namespaces/istio-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Distiod');
      return slices.items.every((s: any) => !(s.endpoints ?? []).length) ? true : undefined;
    });
    const check = cli(['check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('✘ error: istiod istio-system/istiod (revision default) is not Available: no ready replica');
    expect(check.stdout).toContain('✘ error: MutatingWebhookConfiguration istio-sidecar-injector fails closed but Service istio-system/istiod has no ready endpoint');
    expect(check.stdout).toContain('✘ error: namespace apps (istio-injection=enabled) is served by istio-sidecar-injector of revision default, which has no Available istiod');
    const inject = cli(['kube-inject', '-f', file('app-down.yaml', MANIFEST)]);
    expect(inject.status).toBe(1);
    expect(inject.stderr).toMatch(/istiod \(revision default, Service istio-system\/istiod:443\/inject\) refused the injection request: .*is istiod running\?/);
  });
});
