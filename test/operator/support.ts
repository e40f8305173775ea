/**
 * The operator layer against the pinned istioctl: the same IstioOperator input through
 * `istioctl manifest generate` and through planInstall + renderPlan, compared object by object.
 * Every difference we accept is in ACCEPTED below, once, with its reason; each must still be
 * needed by some case (the test fails on one that nothing needs).
 */
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { istioBinaries } from '../../src/cluster/binaries';
import { KubeObject } from '../../src/operator';
import { RUNTIME_DEFAULT_SECCOMP, STABLE_POLICY_IN_OUR_CEL, differences, istiodConfigMapDifferences, within, withoutVersionLabels } from '../support/compat';
import { identities } from '../support/helm';

export const CORPUS = join(__dirname, 'corpus');
export const goodFiles = () => readdirSync(join(CORPUS, 'good')).filter((f) => f.endsWith('.yaml')).sort();

/**
 * istioctl built offline reports version `unknown`, so its image defaults are the testing
 * registry's; both sides get the release's images instead.
 */
export const SAME_IMAGES = ['hub=docker.io/istio', 'tag=1.31.4'];

/** One comparison: files and --set flags, given to both. */
export interface Case {
  readonly name: string;
  readonly files: string[];
  readonly sets: string[];
  /** -r */
  readonly revision?: string;
}

/** `istioctl manifest generate` of a case; its objects. */
export function istioctlGenerate(c: Case): KubeObject[] {
  const args = ['manifest', 'generate', ...c.files.flatMap((f) => ['-f', f]), ...[...SAME_IMAGES, ...c.sets].flatMap((s) => ['--set', s])];
  if (c.revision) args.push('-r', c.revision);
  const r = spawnSync(istioBinaries().istioctl, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`istioctl ${args.join(' ')} failed:\n${r.stderr}`);
  return YAML.parseAllDocuments(r.stdout, { version: '1.1', uniqueKeys: false })
    .map((d) => d.toJS())
    .filter((o) => o);
}

/** istioctl's error output for an input it rejects (empty when it accepts it). */
export function istioctlError(files: string[], sets: string[] = []): string {
  const args = ['manifest', 'generate', ...files.flatMap((f) => ['-f', f]), ...sets.flatMap((s) => ['--set', s])];
  const r = spawnSync(istioBinaries().istioctl, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 ? '' : r.stderr;
}

/** A difference from istioctl's output we mean to have. */
export interface Accepted {
  readonly reason: string;
  /** Identities (`Kind/namespace/name`) it concerns; every object when absent. */
  readonly objects?: RegExp;
  /** Objects only we render (`ours`) or only istioctl renders (`theirs`), left out of the identity comparison. */
  readonly only?: 'ours' | 'theirs';
  /** Both sides as they are to be compared (copies; may be changed). */
  readonly align?: (ours: any, theirs: any) => [any, any];
}

// ---- gateway projections: what of istioctl's legacy gateways we reproduce ------------------------

/** Labels the legacy gateway charts write for their own bookkeeping (ours write their own). */
const LEGACY_LABELS = [
  'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version',
  'helm.sh/chart', 'install.operator.istio.io/owning-resource', 'istio.io/rev', 'operator.istio.io/component', 'release', 'chart', 'heritage',
  'service.istio.io/canonical-name', 'service.istio.io/canonical-revision', 'sidecar.istio.io/inject',
];
/** What our chart adds instead (the injection opt-in and our own app.kubernetes.io and helm labels). */
const OUR_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version', 'helm.sh/chart', 'istio.io/rev', 'sidecar.istio.io/inject', 'install.operator.istio.io/owning-resource'];

const withoutKeys = (m: Record<string, unknown> | undefined, keys: string[]) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !keys.includes(k)));

function labelsOf(o: any, theirs: boolean): Record<string, unknown> {
  return withoutKeys(o?.metadata?.labels, theirs ? LEGACY_LABELS : OUR_LABELS);
}

/** The annotations the legacy chart puts on its pods, and ours (Prometheus, injection). */
const LEGACY_POD_ANNOTATIONS = ['istio.io/rev', 'prometheus.io/path', 'prometheus.io/port', 'prometheus.io/scrape', 'sidecar.istio.io/inject'];
const OUR_POD_ANNOTATIONS = ['prometheus.io/path', 'prometheus.io/port', 'prometheus.io/scrape', 'sidecar.istio.io/inject', 'inject.istio.io/templates'];

/**
 * The proxy's own environment, which the legacy chart writes and istiod's injector adds to ours
 * (proxyMetadata too: the legacy chart copies the preview profile's into env, the injector reads
 * it from the mesh config).
 */
const PROXY_ENV = new Set([
  'ISTIO_META_DNS_CAPTURE',
  'PILOT_CERT_PROVIDER', 'CA_ADDR', 'NODE_NAME', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'HOST_IP', 'ISTIO_CPU_LIMIT', 'SERVICE_ACCOUNT',
  'ISTIO_META_WORKLOAD_NAME', 'ISTIO_META_OWNER', 'ISTIO_META_MESH_ID', 'TRUST_DOMAIN', 'ISTIO_META_UNPRIVILEGED_POD', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_NODE_NAME',
]);

/** The legacy charts' nodeAffinity has null terms when no arch is set: a null term is none, an empty affinity none at all. */
function affinity(a: any): any {
  if (!a?.nodeAffinity) return a;
  const n = Object.fromEntries(Object.entries(a.nodeAffinity).filter(([, v]) => v !== null));
  const out = { ...a, nodeAffinity: Object.keys(n).length ? n : undefined };
  if (!out.nodeAffinity) delete out.nodeAffinity;
  return Object.keys(out).length ? out : undefined;
}

function gatewayDeployment(o: any, theirs: boolean): any {
  const pod = o.spec.template;
  const c = pod.spec.containers.find((x: any) => x.name === 'istio-proxy');
  return {
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: labelsOf(o, theirs) },
    spec: {
      replicas: o.spec.replicas ?? undefined,
      selector: o.spec.selector,
      strategy: o.spec.strategy,
      template: {
        metadata: {
          labels: labelsOf(pod, theirs),
          annotations: withoutKeys(pod.metadata.annotations, theirs ? LEGACY_POD_ANNOTATIONS : OUR_POD_ANNOTATIONS),
        },
        spec: {
          serviceAccountName: pod.spec.serviceAccountName,
          nodeSelector: pod.spec.nodeSelector,
          tolerations: pod.spec.tolerations,
          affinity: affinity(pod.spec.affinity),
          priorityClassName: pod.spec.priorityClassName,
          container: {
            resources: c.resources,
            env: (c.env ?? []).filter((e: any) => !theirs || !PROXY_ENV.has(e.name)),
            imagePullPolicy: c.imagePullPolicy,
          },
        },
      },
    },
  };
}

const metaOf = (o: any, theirs: boolean) => ({ name: o.metadata.name, namespace: o.metadata.namespace, labels: labelsOf(o, theirs) });

/** The gateway objects but the Deployment (every gateway of the cases is named *gateway*; istiod's are not). */
const GATEWAY_OBJECTS = /^(Service|HorizontalPodAutoscaler|PodDisruptionBudget|ServiceAccount|Role|RoleBinding)\/[^/]+\/[^/]*gateway[^/]*$/;

/**
 * The one table of accepted differences. The istiod and base objects come from the same charts
 * on both sides (ours are compared field by field with upstream's in test/compat); the gateways
 * come from istioctl's legacy charts on one side and our gateway chart on the other.
 */
export const ACCEPTED: Record<string, Accepted> = {
  'the default-revision validator': {
    reason:
      'istioctl\'s default profile sets defaultRevision "" and creates istiod-default-validator (with the default tag webhooks) itself at install time, outside manifest generate; we keep the base chart\'s default-revision objects (istiod-default-validator, and under the stable profile the default-revision policy and its binding), so validation of unrevisioned config works from the first install without a step outside helm',
    objects: /^(ValidatingWebhookConfiguration\/\/istiod-default-validator|ValidatingAdmissionPolicy(Binding)?\/\/stable-channel-default-policy(-binding)?\.istio\.io)$/,
    only: 'ours',
  },
  'chart version labels': {
    reason: 'helm.sh/chart and app.kubernetes.io/version name the chart that rendered the object, ours or istioctl\'s embedded one',
    align: (ours, theirs) => [withoutVersionLabels(ours), withoutVersionLabels(theirs)],
  },
  'release names': {
    reason:
      'istioctl renders every chart as release "istio"; ours are helm releases named after what they install (istio-base, istiod[-<rev>], one per gateway), which the release and app.kubernetes.io/instance labels name',
    align: (ours, theirs) => [sameRelease(ours, theirs), theirs],
  },
  'the stable policy in our own CEL': { reason: STABLE_POLICY_IN_OUR_CEL.reason, objects: STABLE_POLICY_IN_OUR_CEL.objects, align: (a, b) => STABLE_POLICY_IN_OUR_CEL.align!(a, b, {}) },
  ...istiodConfigMapDifferences('istioctl'),
  'restricted by default: RuntimeDefault seccomp': { reason: RUNTIME_DEFAULT_SECCOMP.reason, objects: RUNTIME_DEFAULT_SECCOMP.objects, align: (a, b) => RUNTIME_DEFAULT_SECCOMP.align!(a, b, {}) },
  'istiod keeps its cni.istio.io/not-ready toleration': {
    reason:
      'k8s.tolerations become the istiod chart\'s pilot.tolerations, which add to the toleration istiod always has (it must start on nodes the CNI agent has not readied); istioctl\'s patch replaces the list and drops it',
    objects: /^Deployment\/[^/]*\/istiod/,
    align: (ours, theirs) => {
      const drop = (o: any) => {
        const spec = o.spec.template.spec;
        if (spec.tolerations) spec.tolerations = spec.tolerations.filter((t: any) => t.key !== 'cni.istio.io/not-ready');
        if (spec.tolerations?.length === 0) delete spec.tolerations;
        return o;
      };
      // only where istioctl's list lost it
      const lost = !theirs.spec.template.spec.tolerations?.some((t: any) => t.key === 'cni.istio.io/not-ready');
      return lost ? [drop(ours), theirs] : [ours, theirs];
    },
  },
  'istiod trusts the ztunnel where it is installed': {
    reason:
      'with components.ztunnel.namespace other than istiod\'s, the plan sets istiod\'s trustedZtunnelNamespace to it, so CA_TRUSTED_NODE_ACCOUNTS names the ztunnel that runs; istioctl keeps <istiod namespace>/ztunnel, an account nothing runs as, and ztunnel\'s certificate requests for its pods fail',
    objects: /^Deployment\/[^/]*\/istiod/,
    align: (ours, theirs) => {
      const trusted = (o: any) => o.spec.template.spec.containers.find((c: any) => c.name === 'discovery')?.env?.find((e: any) => e.name === 'CA_TRUSTED_NODE_ACCOUNTS');
      const [mine, upstream] = [trusted(ours), trusted(theirs)];
      // the same account name, in another namespace
      if (mine && upstream && mine.value !== upstream.value && mine.value.split('/')[1] === upstream.value.split('/')[1]) upstream.value = mine.value;
      return [ours, theirs];
    },
  },
  'istiod env order': {
    reason:
      'k8s.env entries of istiod become the chart\'s pilot.env and pilot.envVarFrom, rendered where the chart renders them; istioctl\'s strategic-merge patch puts new names first. Entries named like the chart\'s own variables are patched in place, as istioctl does; only the order of distinct names differs (none of them refers to another)',
    objects: /^Deployment\/[^/]*\/istiod/,
    align: (ours, theirs) => {
      const sorted = (o: any) => {
        for (const c of o.spec.template.spec.containers) if (c.env) c.env = [...c.env].sort((a: any, b: any) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return o;
      };
      return [sorted(ours), sorted(theirs)];
    },
  },
  'Recreate without rollingUpdate': {
    reason:
      'k8s.strategy.type Recreate: istioctl\'s merge keeps the chart\'s rollingUpdate next to it, which the API server rejects (rollingUpdate may not be set for Recreate); ours drops it',
    objects: /^Deployment\//,
    align: (ours, theirs) => {
      if (theirs.spec?.strategy?.type === 'Recreate' && !ours.spec?.strategy?.rollingUpdate) delete theirs.spec.strategy.rollingUpdate;
      return [ours, theirs];
    },
  },
  'no null minAvailable': {
    reason: 'with k8s.podDisruptionBudget.maxUnavailable, istioctl\'s patch leaves minAvailable: null in the PDB; ours leaves it out (the same to the API server)',
    objects: /^PodDisruptionBudget\//,
    align: (ours, theirs) => {
      if (theirs.spec?.minAvailable === null) delete theirs.spec.minAvailable;
      return [ours, theirs];
    },
  },
  'gateway pods are injected by istiod': {
    reason:
      'istioctl renders gateways with its legacy charts, which spell out the whole proxy pod (image, args, proxy env, volumes, probes, running as uid 1337); ours is our gateway chart\'s pod, which istiod injects with its gateway template (pod labels sidecar.istio.io/inject=true, our own app.kubernetes.io and helm labels, non-root through a port sysctl). Compared: names, namespaces, selector, the app/istio/user pod labels and user annotations, replicas, rolling update, service account, resources, user env, pull policy and scheduling (nodeSelector, tolerations, affinity, priorityClassName)',
    objects: /^Deployment\/[^/]+\/[^/]*gateway[^/]*$/,
    align: (ours, theirs) => [gatewayDeployment(ours, false), gatewayDeployment(theirs, true)],
  },
  'gateway bookkeeping labels': {
    reason:
      'the legacy charts label their objects for istioctl (release, chart, heritage, operator.istio.io/component, install.operator.istio.io/owning-resource, istio.io/rev, app.kubernetes.io/*), and the Service, ServiceAccount and RBAC objects with fewer of the gateway labels; ours carry our chart\'s app.kubernetes.io and helm labels and the gateway labels on every object. Ours must carry every other label istioctl\'s do, with the same value, and everything else of the Service, autoscaler, PDB, ServiceAccount and RBAC objects must be equal',
    objects: GATEWAY_OBJECTS,
    align: (ours, theirs) => {
      const strip = (o: any, t: boolean) => {
        const out = { ...o, metadata: { ...metaOf(o, t), annotations: o.metadata.annotations ?? undefined } };
        if (!t) out.metadata.labels = within(out.metadata.labels, labelsOf(theirs, true));
        // null and empty annotations are the same
        if (out.metadata.annotations && Object.keys(out.metadata.annotations).length === 0) out.metadata.annotations = undefined;
        return out;
      };
      return [strip(ours, false), strip(theirs, true)];
    },
  },
};

/** Our release and app.kubernetes.io/instance labels, wherever they are, as istioctl's object has them. */
function sameRelease(ours: any, theirs: any): any {
  if (Array.isArray(ours)) return ours.map((x, i) => sameRelease(x, Array.isArray(theirs) ? theirs[i] : undefined));
  if (ours === null || typeof ours !== 'object') return ours;
  return Object.fromEntries(
    Object.entries(ours).map(([k, v]: [string, any]) => {
      if (k !== 'labels' || !v || typeof v !== 'object') return [k, sameRelease(v, theirs?.[k])];
      const t = theirs?.labels ?? {};
      const out = { ...v };
      for (const l of ['release', 'app.kubernetes.io/instance']) if (l in out && l in t) out[l] = t[l];
      return [k, out];
    }),
  );
}


const copy = (x: any) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

/** Records which accepted differences changed a comparison. */
export class AcceptedDifferences {
  private readonly used = new Set<string>();

  public constructor(private readonly all: Record<string, Accepted> = ACCEPTED) {}

  /** Identities each side must share, less the objects only one side is accepted to render. */
  public identities(objects: KubeObject[], side: 'ours' | 'theirs'): string[] {
    return identities(objects).filter((id) => {
      for (const [name, d] of Object.entries(this.all)) {
        if (d.only === side && d.objects?.test(id)) {
          this.used.add(name);
          return false;
        }
      }
      return true;
    });
  }

  /** The field differences between our object and istioctl's, accepted differences taken out. */
  public compare(id: string, ours: any, theirs: any): string[] {
    let pair: [any, any] = [copy(ours), copy(theirs)];
    for (const [name, d] of Object.entries(this.all)) {
      if (!d.align || (d.objects && !d.objects.test(id))) continue;
      const before = JSON.stringify(pair);
      pair = d.align(pair[0], pair[1]);
      if (JSON.stringify(pair) !== before) this.used.add(name);
    }
    return differences(pair[0], pair[1]).map((d) => `${id} ${d}`);
  }

  public unused(): string[] {
    return Object.keys(this.all).filter((n) => !this.used.has(n));
  }
}

/** Objects by identity. */
export const byIdentity = (objects: KubeObject[]) => new Map(objects.map((o) => [identities([o])[0], o]));
