/**
 * The checks behind `istio-charts check`. Before an install (`--pre`): the API server answers,
 * its version is one the charts support, the caller may create what the charts create, what
 * Istio is there already, webhooks that would block the install, CRDs of another release.
 * After it (`--post`): istiod Available, its webhooks patched by istiod, revision tags and
 * injection-labelled namespaces served by a live revision, and an injection that works.
 * Each check adds results; none throws for a finding.
 */
import * as YAML from 'yaml';
import { ISTIO_VERSION } from '../../versions';
import { injectManifest } from '../inject/manifest';
import { findInjector, onlineBackend } from '../inject/online';
import { Kube, listJson, rawMessage, request } from '../kube';
import { Istiod, helmReleases, istiodDeployments, serviceProblem } from '../state';
import { Result, error, info, ok, selectorMatches, warning } from './findings';

export { kubernetesVersion } from './kubernetes-version';

const ADMISSION = '/apis/admissionregistration.k8s.io/v1';
export const OUR_CHARTS = ['base', 'istiod', 'gateway', 'cni', 'ztunnel'];

/** GET /version; undefined (with an error result) when the API server does not answer. */
export async function apiReachable(kube: Kube, out: Result[], timeoutMs = 10_000): Promise<string | undefined> {
  const server = kube.config.getCurrentCluster()?.server ?? '(no server)';
  try {
    const r = await request(kube, 'GET', '/version', { timeoutMs });
    if (r.status !== 200) {
      out.push(error('api-server', `the Kubernetes API at ${server} answered /version with ${rawMessage(r)}`, 'check the kubeconfig\'s credentials (--kubeconfig, --context)'));
      return undefined;
    }
    out.push(ok('api-server', `Kubernetes API reachable at ${server} (${r.body.gitVersion})`));
    return r.body.gitVersion as string;
  } catch (e) {
    out.push(error('api-server', (e as Error).message, 'point --kubeconfig/--context at a running cluster'));
    return undefined;
  }
}

interface Access {
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

const CLUSTER_ACCESS: Access[] = [
  { group: '', resource: 'namespaces', namespaced: false },
  { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', namespaced: false },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespaced: false },
  { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', namespaced: false },
  { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', namespaced: false },
];
const NAMESPACE_ACCESS: Access[] = [
  { group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  { group: '', resource: 'serviceaccounts', namespaced: true },
  { group: '', resource: 'services', namespaced: true },
  { group: 'apps', resource: 'deployments', namespaced: true },
  // the node agents (cni, ztunnel)
  { group: 'apps', resource: 'daemonsets', namespaced: true },
  { group: '', resource: 'configmaps', namespaced: true },
];

/** SelfSubjectAccessReview of `create` on everything the charts create. */
export async function permissions(kube: Kube, istioNamespace: string, out: Result[]): Promise<void> {
  const missing: string[] = [];
  const failures: string[] = [];
  await Promise.all([...CLUSTER_ACCESS, ...NAMESPACE_ACCESS].map(async (a) => {
    const attrs = { verb: 'create', group: a.group, resource: a.resource, ...(a.namespaced ? { namespace: istioNamespace } : {}) };
    const name = `${a.resource}${a.group ? `.${a.group}` : ''}${a.namespaced ? ` in ${istioNamespace}` : ''}`;
    const r = await request(kube, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs } },
    });
    if (r.status !== 201 && r.status !== 200) failures.push(`${name}: ${rawMessage(r)}`);
    else if (!r.body.status?.allowed) missing.push(name);
  }));
  for (const f of failures) out.push(warning('permissions', `could not review access to ${f}`, 'run the check as the user who installs'));
  for (const m of missing.sort()) {
    out.push(error('permissions', `not allowed to create ${m}`, 'install as a user with these rights (cluster-admin, or a role granting create on them)'));
  }
  if (!missing.length && !failures.length) out.push(ok('permissions', `allowed to create everything the charts install (cluster-wide, and in ${istioNamespace})`));
}

/** Istio already in the cluster: istiod Deployments and Helm releases of our charts. */
export async function existingInstalls(kube: Kube, out: Result[]): Promise<Istiod[]> {
  const istiods = await istiodDeployments(kube);
  const releases = await helmReleases(kube, OUR_CHARTS);
  for (const d of istiods) {
    const other = d.tag && !d.tag.startsWith(ISTIO_VERSION);
    if (other) {
      out.push(warning('existing-install', `istiod ${d.namespace}/${d.name} (revision ${d.revision}) runs Istio ${d.tag}, not ${ISTIO_VERSION}`, `install ${ISTIO_VERSION} as a canary (--set revision=<name>) and move namespaces over, or upgrade that release`));
    } else {
      out.push(info('existing-install', `istiod ${d.namespace}/${d.name} (revision ${d.revision}, ${d.tag || d.image}) is installed`, d.revision === 'default' ? 'a second default revision would conflict: upgrade it, or install with --set revision=<name>' : undefined));
    }
  }
  for (const r of releases) out.push(info('existing-install', `Helm release ${r.namespace}/${r.name}: chart ${r.chart} ${r.chartVersion} (revision ${r.revision})`));
  if (!istiods.length && !releases.length) out.push(ok('existing-install', 'no Istio control plane installed yet'));
  return istiods;
}

function failurePolicy(hook: any): string {
  return hook.failurePolicy ?? 'Fail';
}

/**
 * Webhooks failing closed whose Service cannot answer: they block every object they match.
 * One finding per configuration, naming its webhooks and what they refuse.
 */
export async function blockingWebhooks(kube: Kube, out: Result[]): Promise<void> {
  let bad = 0;
  for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
    const label = kind.startsWith('mutating') ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration';
    for (const cfg of await listJson(kube, `${ADMISSION}/${kind}`)) {
      const byProblem = new Map<string, { hooks: string[]; rules: Set<string>; service: string }>();
      for (const hook of cfg.webhooks ?? []) {
        const svc = hook.clientConfig?.service;
        if (!svc || failurePolicy(hook) !== 'Fail') continue;
        const problem = await serviceProblem(kube, svc.namespace, svc.name);
        if (!problem) continue;
        const entry = byProblem.get(problem) ?? { hooks: [], rules: new Set<string>(), service: `${svc.namespace}/${svc.name}` };
        entry.hooks.push(hook.name);
        for (const r of hook.rules ?? []) entry.rules.add(`${(r.operations ?? []).join('/')} ${(r.resources ?? []).join(',')}`);
        byProblem.set(problem, entry);
      }
      const rev = cfg.metadata.labels?.['istio.io/rev'];
      for (const [problem, e] of byProblem) {
        bad++;
        const fix = rev
          ? `bring istiod of revision ${rev} back (kubectl -n ${e.service.split('/')[0]} get deployments,pods -l app=istiod), or remove the revision (helm uninstall its istiod release)`
          : `delete it (kubectl delete ${label.toLowerCase()} ${cfg.metadata.name}) if what installed it is gone, or bring ${e.service} back`;
        out.push(error('webhook', `${label} ${cfg.metadata.name} fails closed but ${problem}: ${e.hooks.length === 1 ? `webhook ${e.hooks[0]} refuses` : `its webhooks ${e.hooks.join(', ')} refuse`} ${[...e.rules].join('; ') || 'what they match'}`, fix));
      }
    }
  }
  if (!bad) out.push(ok('webhook', 'no webhook that fails closed lacks a serving Service'));
}

function crdVersion(crd: any): string | undefined {
  const labels = crd.metadata?.labels ?? {};
  if (labels['app.kubernetes.io/version']) return labels['app.kubernetes.io/version'];
  const chart = /^base-(.+)$/.exec(labels['helm.sh/chart'] ?? '');
  return chart?.[1];
}

/** Istio CRDs installed by another release (version label) or outside Helm (no release annotation). */
export async function istioCrds(kube: Kube, istioNamespace: string, pre: boolean, out: Result[]): Promise<void> {
  const crds = (await listJson(kube, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).filter((c: any) => /(^|\.)istio\.io$/.test(c.spec?.group ?? ''));
  if (!crds.length) {
    out.push(pre ? ok('crds', 'no Istio CRDs yet') : error('crds', 'no Istio CRDs are installed', `helm install istio-base ./charts/base -n ${istioNamespace}`));
    return;
  }
  const byVersion = new Map<string, string[]>();
  for (const c of crds) {
    const v = crdVersion(c) ?? 'unknown';
    byVersion.set(v, [...(byVersion.get(v) ?? []), c.metadata.name]);
  }
  for (const [v, names] of [...byVersion].sort()) {
    if (v === ISTIO_VERSION) continue;
    const one = names.length === 1;
    const list = `${names.length} Istio CRD${one ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
    if (v === 'unknown') out.push(info('crds', `${list} carr${one ? 'ies' : 'y'} no version label; ${one ? 'it' : 'they'} may come from another Istio release`, 'installing or upgrading the base chart replaces them with this release\'s'));
    else out.push(warning('crds', `${list} ${one ? 'is' : 'are'} from Istio ${v}, not ${ISTIO_VERSION}`, `upgrade the base chart (helm upgrade istio-base ./charts/base -n ${istioNamespace}) before istiod`));
  }
  const unmanaged = crds.filter((c: any) => !c.metadata?.annotations?.['meta.helm.sh/release-name']);
  if (unmanaged.length) {
    out.push((pre ? error : warning)('crds', `${unmanaged.length} Istio CRD${unmanaged.length === 1 ? ' is' : 's are'} not managed by Helm (e.g. ${unmanaged[0].metadata.name}): helm install of the base chart refuses to take them over`,
      `adopt them: kubectl label crd <name> app.kubernetes.io/managed-by=Helm; kubectl annotate crd <name> meta.helm.sh/release-name=istio-base meta.helm.sh/release-namespace=${istioNamespace}`));
  }
  if (byVersion.size === 1 && byVersion.has(ISTIO_VERSION) && !unmanaged.length) out.push(ok('crds', `${crds.length} Istio CRDs, all from ${ISTIO_VERSION}`));
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Kinds istiod needs at v1beta1 at least (as istioctl's precheck, IST0156), and at v1 (IST0172). */
const GATEWAY_API_BETA = ['gateways', 'gatewayclasses', 'httproutes', 'referencegrants'];
const GATEWAY_API_V1 = ['gateways', 'gatewayclasses', 'httproutes', 'grpcroutes'];

/** Gateway API CRDs are optional; when there, they must serve the versions istiod reads. */
export async function gatewayApiCrds(kube: Kube, out: Result[]): Promise<void> {
  const crds = (await listJson(kube, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).filter((c: any) => c.spec?.group === GATEWAY_API_GROUP);
  if (!crds.length) {
    out.push(info('gateway-api', 'no Gateway API CRDs are installed (optional: Istio then serves Istio Gateways only)', 'to use Gateway API, install its standard-channel CRDs'));
    return;
  }
  const served = (plural: string, version: string) => {
    const crd = crds.find((c: any) => c.spec.names?.plural === plural);
    return !crd || (crd.spec.versions ?? []).some((v: any) => v.name === version && v.served);
  };
  const bundle = [...new Set(crds.map((c: any) => c.metadata.annotations?.['gateway.networking.k8s.io/bundle-version']).filter(Boolean))].join(', ') || 'unknown version';
  const old = GATEWAY_API_BETA.filter((p) => !served(p, 'v1beta1'));
  const noV1 = GATEWAY_API_V1.filter((p) => !served(p, 'v1'));
  if (old.length) out.push(error('gateway-api', `Gateway API CRDs (${bundle}) do not serve v1beta1 for ${old.join(', ')}, which istiod needs`, 'upgrade the Gateway API CRDs to a current standard-channel release'));
  if (noV1.length) out.push(warning('gateway-api', `Gateway API CRDs (${bundle}) do not serve v1 for ${noV1.join(', ')}; istiod ${ISTIO_VERSION} reads v1`, 'upgrade the Gateway API CRDs to a current standard-channel release'));
  if (!old.length && !noV1.length) out.push(ok('gateway-api', `Gateway API CRDs ${bundle} serve the versions istiod reads`));
}

/** istiod Deployments of the revisions to check are Available. */
export function istiodAvailable(istiods: readonly Istiod[], out: Result[]): void {
  for (const d of istiods) {
    if (d.available) out.push(ok('istiod', `istiod ${d.namespace}/${d.name} (revision ${d.revision}, ${d.tag || d.image}) is Available`));
    else out.push(error('istiod', `istiod ${d.namespace}/${d.name} (revision ${d.revision}) is not Available: ${d.reason ?? 'unknown'}`, `kubectl -n ${d.namespace} describe deployment ${d.name}; look at its pods' events and logs`));
  }
}

/** istiod patches its webhooks: the injectors' caBundle, and the validator's caBundle and failurePolicy Fail. */
export async function webhooksPatched(kube: Kube, revisions: readonly string[], out: Result[]): Promise<void> {
  for (const rev of revisions) {
    const sel = encodeURIComponent(`istio.io/rev=${rev}`);
    const mwcs = (await listJson(kube, `${ADMISSION}/mutatingwebhookconfigurations?labelSelector=${sel}`)).filter((m: any) => !m.metadata.labels?.['istio.io/tag']);
    const vwcs = await listJson(kube, `${ADMISSION}/validatingwebhookconfigurations?labelSelector=${sel}`);
    if (!mwcs.length) out.push(warning('webhooks', `revision ${rev} has no injector MutatingWebhookConfiguration`, 'upgrade its istiod release (sidecarInjectorWebhook is off, or the webhook was deleted)'));
    for (const m of mwcs) {
      const unpatched = (m.webhooks ?? []).filter((w: any) => !w.clientConfig?.caBundle).map((w: any) => w.name);
      if (unpatched.length) out.push(error('webhooks', `MutatingWebhookConfiguration ${m.metadata.name} (revision ${rev}) has no caBundle on ${unpatched.join(', ')}: istiod has not patched it, so the apiserver cannot call it`, 'check that istiod of this revision runs and may patch webhooks (its ClusterRole); its log says why'));
      else out.push(ok('webhooks', `injector ${m.metadata.name} (revision ${rev}) carries istiod's CA bundle`));
    }
    for (const v of vwcs) {
      const unpatched = (v.webhooks ?? []).filter((w: any) => !w.clientConfig?.caBundle || failurePolicy(w) !== 'Fail').map((w: any) => `${w.name} (${w.clientConfig?.caBundle ? 'caBundle set' : 'no caBundle'}, failurePolicy ${failurePolicy(w)})`);
      if (unpatched.length) out.push(error('webhooks', `ValidatingWebhookConfiguration ${v.metadata.name} (revision ${rev}) is not armed: ${unpatched.join(', ')}; istiod switches it to Fail once it validates`, 'check that istiod of this revision runs and may patch webhooks; its log says why'));
      else out.push(ok('webhooks', `validator ${v.metadata.name} (revision ${rev}) is patched and fails closed`));
    }
  }
}

interface Injector {
  readonly config: string;
  readonly hook: any;
  /** The revision the webhook serves (its istio.io/rev label). */
  readonly revision: string;
  readonly tag?: string;
}

async function injectors(kube: Kube): Promise<Injector[]> {
  const mwcs = await listJson(kube, `${ADMISSION}/mutatingwebhookconfigurations`);
  return mwcs.flatMap((m: any) => (m.webhooks ?? [])
    .filter((w: any) => String(w.name).endsWith('sidecar-injector.istio.io'))
    .map((hook: any) => ({ config: m.metadata.name, hook, revision: m.metadata.labels?.['istio.io/rev'] ?? 'default', tag: m.metadata.labels?.['istio.io/tag'] })));
}

/** Every revision tag points at a revision whose istiod exists and whose Service answers. */
export async function revisionTags(kube: Kube, istiods: readonly Istiod[], out: Result[]): Promise<void> {
  const tags = (await listJson(kube, `${ADMISSION}/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent('istio.io/tag')}`));
  for (const m of tags) {
    const tag = m.metadata.labels['istio.io/tag'];
    const rev = m.metadata.labels['istio.io/rev'];
    const live = istiods.find((d) => d.revision === rev && d.available);
    const svc = (m.webhooks ?? []).map((w: any) => w.clientConfig?.service).find(Boolean);
    const svcProblem = svc ? await serviceProblem(kube, svc.namespace, svc.name) : undefined;
    const fix = `point it at a live revision (helm upgrade that revision's istiod with --set revisionTags={${tag}}), or delete it (kubectl delete mutatingwebhookconfiguration ${m.metadata.name})`;
    if (!rev) out.push(error('revision-tag', `revision tag ${tag} (${m.metadata.name}) names no revision (no istio.io/rev label)`, fix));
    else if (!istiods.some((d) => d.revision === rev)) out.push(error('revision-tag', `revision tag ${tag} points at revision ${rev}, which has no istiod (revisions: ${[...new Set(istiods.map((d) => d.revision))].join(', ') || 'none'})`, fix));
    else if (!live) out.push(error('revision-tag', `revision tag ${tag} points at revision ${rev}, whose istiod is not Available`, fix));
    else if (svcProblem) out.push(error('revision-tag', `revision tag ${tag} points at revision ${rev}, but its webhook's ${svcProblem}`, fix));
    else out.push(ok('revision-tag', `revision tag ${tag} points at live revision ${rev}`));
  }
}

/** Namespaces labelled for injection are matched by an injector webhook of a live revision. */
export async function injectionNamespaces(kube: Kube, istiods: readonly Istiod[], out: Result[]): Promise<Array<{ namespace: string; revision: string }>> {
  const namespaces = (await listJson(kube, '/api/v1/namespaces')).filter((n: any) => {
    const l = n.metadata.labels ?? {};
    return l['istio-injection'] === 'enabled' || l['istio.io/rev'] !== undefined;
  });
  const hooks = await injectors(kube);
  const served: Array<{ namespace: string; revision: string }> = [];
  for (const n of namespaces) {
    const labels = n.metadata.labels ?? {};
    const wanted = labels['istio-injection'] === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${labels['istio.io/rev']}`;
    // a plain pod: no labels of its own
    const match = hooks.filter((h) => selectorMatches(h.hook.namespaceSelector, labels) && selectorMatches(h.hook.objectSelector, {}));
    const live = match.find((h) => istiods.some((d) => d.revision === h.revision && d.available));
    if (!match.length) {
      out.push(error('injection', `namespace ${n.metadata.name} asks for injection (${wanted}) but no injector webhook selects it: its pods start without a sidecar`,
        labels['istio-injection'] === 'enabled' ? 'install a default revision or tag default (--set revisionTags={default}), or label the namespace istio.io/rev=<revision>' : `label it with a revision that exists (${[...new Set(istiods.map((d) => d.revision))].join(', ') || 'none installed'})`));
    } else if (!live) {
      out.push(error('injection', `namespace ${n.metadata.name} (${wanted}) is served by ${match.map((h) => h.config).join(', ')} of revision ${match[0].revision}, which has no Available istiod`, 'bring that istiod back, or relabel the namespace to a live revision'));
    } else {
      out.push(ok('injection', `namespace ${n.metadata.name} (${wanted}) is injected by revision ${live.revision}${live.tag ? ` (tag ${live.tag})` : ''}`));
      served.push({ namespace: n.metadata.name, revision: live.revision });
    }
  }
  return served;
}

const PROBE_POD = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { generateName: 'istio-charts-check-', namespace, labels: { app: 'istio-charts-check' } },
  spec: { containers: [{ name: 'app', image: 'registry.invalid/istio-charts-check:1' }] },
});

/**
 * An injection that works, per live revision: an AdmissionReview sent to its istiod's /inject
 * (istiod itself answers), and, where a namespace is served by it, a server-side dry-run pod
 * there (the apiserver calls the webhook as it will for real pods).
 */
export async function dryRunInjection(kube: Kube, revisions: readonly string[], served: ReadonlyArray<{ namespace: string; revision: string }>, out: Result[]): Promise<void> {
  for (const rev of revisions) {
    try {
      const endpoint = await findInjector(kube, rev);
      const result = await injectManifest(YAML.stringify(PROBE_POD('default')), onlineBackend(kube, endpoint, rev, 15_000), { namespace: 'default' });
      if (result.injected.length) out.push(ok('dry-run-injection', `istiod of revision ${rev} answers an AdmissionReview with a sidecar (through ${endpoint.webhookConfiguration})`));
      else out.push(error('dry-run-injection', `istiod of revision ${rev} answered an AdmissionReview without injecting`, 'check its injector ConfigMap (policy) and log'));
    } catch (e) {
      out.push(error('dry-run-injection', `istiod of revision ${rev} could not inject: ${(e as Error).message}`, 'check that its pods run; its log says why'));
    }
    const ns = served.find((s) => s.revision === rev)?.namespace;
    if (!ns) continue;
    const r = await request(kube, 'POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods?dryRun=All`, { body: PROBE_POD(ns) });
    const names = r.status === 201 ? [...(r.body.spec.initContainers ?? []), ...(r.body.spec.containers ?? [])].map((c: any) => c.name) : [];
    if (r.status !== 201) out.push(error('dry-run-injection', `a dry-run pod in namespace ${ns} (revision ${rev}) was refused: ${rawMessage(r)}`, 'fix the webhook named in the message'));
    else if (!names.includes('istio-proxy')) out.push(error('dry-run-injection', `a dry-run pod in namespace ${ns} (revision ${rev}) was created without istio-proxy`, 'check the namespace labels and the injector webhook\'s selectors'));
    else out.push(ok('dry-run-injection', `a dry-run pod in namespace ${ns} gets istio-proxy from revision ${rev}`));
  }
}
