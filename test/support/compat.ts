/**
 * Differential testing against upstream: the same inputs through upstream's chart (or templates)
 * and ours, compared by one engine (`differences`) after the intended differences, each with its
 * reason, are taken out of both sides. Every chart's test has the same shape
 * (`compareWithUpstream`); the injection test uses the same engine and difference type on
 * injected pods.
 */
import * as YAML from 'yaml';
import { HelmOptions, chart, identities, template } from './helm';
import { upstreamChart } from './upstream';

/** A difference from upstream we mean to have. */
export interface IntendedDifference<V = HelmOptions> {
  /** Why ours differs, and why it does not matter to users (or why ours is right). */
  readonly reason: string;
  /** Identities (`Kind/namespace/name`) of the objects it concerns; every object when absent. */
  readonly objects?: RegExp;
  /** The variants it concerns; every variant when absent. */
  readonly when?: (variant: V) => boolean;
  /** Both sides as they are to be compared (it gets copies and may change them). */
  readonly align?: (ours: any, theirs: any, variant: V) => [any, any];
  /**
   * The options upstream is rendered with instead of the variant's, for a difference in what a
   * value means: e.g. a profile upstream's chart ignores, given to upstream as the values ours
   * applies for it, so both renders are still compared object for object.
   */
  readonly upstreamOptions?: (variant: V) => V;
}

/**
 * The stable-channel ValidatingAdmissionPolicy (base and istiod each render one): the same
 * rules in our own CEL, so its validations and variables are left out of the comparison.
 */
export const STABLE_POLICY_IN_OUR_CEL: IntendedDifference = {
  reason: 'the stable-channel ValidatingAdmissionPolicy states the same rules in our own CEL, with a message per rule; its validations and variables are proven against the API server by the cluster tests',
  objects: /^ValidatingAdmissionPolicy\//,
  align: (ours, theirs) => [withoutCel(ours), withoutCel(theirs)],
};

function withoutCel(o: any): any {
  return { ...o, spec: { ...o.spec, validations: undefined, variables: undefined } };
}

/**
 * A set of intended differences, applied in order; it records which ones changed a comparison
 * so that a test can fail on one that nothing needs any more.
 */
export class IntendedDifferences<V = HelmOptions> {
  private readonly used = new Set<string>();

  public constructor(public readonly all: Readonly<Record<string, IntendedDifference<V>>>) {}

  /** Both sides with every difference that concerns `id` in `variant` taken out. */
  public apply(id: string, ours: any, theirs: any, variant: V): [any, any] {
    let pair: [any, any] = [copy(ours), copy(theirs)];
    for (const [name, d] of Object.entries(this.all)) {
      if (!d.align) continue;
      if (d.objects && !d.objects.test(id)) continue;
      if (d.when && !d.when(variant)) continue;
      const before = JSON.stringify(pair);
      pair = d.align(pair[0], pair[1], variant);
      if (JSON.stringify(pair) !== before) this.used.add(name);
    }
    return pair;
  }

  /** The options upstream is rendered with for `variant` (every matching upstreamOptions applied in order). */
  public upstream(variant: V): V {
    let options = variant;
    for (const [name, d] of Object.entries(this.all)) {
      if (!d.upstreamOptions || (d.when && !d.when(variant))) continue;
      const before = JSON.stringify(options);
      options = d.upstreamOptions(options);
      if (JSON.stringify(options) !== before) this.used.add(name);
    }
    return options;
  }

  /** The names of the differences no comparison needed. */
  public unused(): string[] {
    return Object.keys(this.all).filter((n) => !this.used.has(n));
  }
}

const copy = (x: any) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

/** Lists whose items are identified by a key field; compared item by item, order checked separately. */
const KEYED_LISTS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
};

/**
 * The diff engine: differences between two values as `path: ours …, upstream …` lines (empty
 * when equal). Objects are compared key by key (a key set to undefined counts as absent), lists
 * item by item.
 */
export function differences(ours: any, theirs: any, path = ''): string[] {
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    const key = KEYED_LISTS[path.split('.').pop()!.replace(/\[.*$/, '')];
    if (key && [...ours, ...theirs].every((x) => x && typeof x === 'object' && key in x)) {
      // a repeated key (an env var set twice) is told apart by its occurrence: NAME, NAME#2, ...
      const ids = (l: any[]) => {
        const seen = new Map<string, number>();
        return l.map((x) => {
          const id = String(x[key]);
          const n = (seen.get(id) ?? 0) + 1;
          seen.set(id, n);
          return n === 1 ? id : `${id}#${n}`;
        });
      };
      const [mine, upstream] = [ids(ours), ids(theirs)];
      const out: string[] = [];
      if (JSON.stringify(mine) !== JSON.stringify(upstream)) {
        out.push(`${path}: order/members: ours [${mine}], upstream [${upstream}]`);
      }
      for (const id of new Set([...mine, ...upstream])) {
        const a = ours[mine.indexOf(id)];
        const b = theirs[upstream.indexOf(id)];
        if (mine.includes(id) && upstream.includes(id)) out.push(...differences(a, b, `${path}[${id}]`));
      }
      return out;
    }
    if (ours.length !== theirs.length) return [`${path}: ours ${JSON.stringify(ours)}, upstream ${JSON.stringify(theirs)}`];
    return ours.flatMap((x, i) => differences(x, theirs[i], `${path}[${i}]`));
  }
  const isObj = (x: any) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(ours) && isObj(theirs)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
    return [...keys].sort().flatMap((k) => differences(ours[k], theirs[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${path || '.'}: ours ${JSON.stringify(ours)}, upstream ${JSON.stringify(theirs)}`];
}

/**
 * `ours` cut down to the keys `theirs` has, at every level of nesting (lists and scalars are kept
 * whole): for an object where ours must carry everything upstream's does, with more allowed.
 */
export function within(ours: any, theirs: any): any {
  const isObj = (x: any) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isObj(ours) || !isObj(theirs)) return ours;
  return Object.fromEntries(Object.keys(theirs).filter((k) => k in ours).map((k) => [k, within(ours[k], theirs[k])]));
}

/** Labels that name the chart's own version, which differs by design. */
const VERSION_LABELS = ['helm.sh/chart', 'app.kubernetes.io/version'];

/** Taken out of every object of every chart. */
const CHART_VERSION: IntendedDifference<any> = {
  reason: 'helm.sh/chart and app.kubernetes.io/version name the chart that rendered the object, ours or upstream',
  align: (ours, theirs) => [withoutVersionLabels(ours), withoutVersionLabels(theirs)],
};

export function withoutVersionLabels(value: any): any {
  if (Array.isArray(value)) return value.map(withoutVersionLabels);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) =>
      k === 'labels' && v && typeof v === 'object'
        ? [k, Object.fromEntries(Object.entries(v).filter(([l]) => !VERSION_LABELS.includes(l)))]
        : [k, withoutVersionLabels(v)],
    ),
  );
}

/**
 * istiod's container and the gateway pods run the runtime's default seccomp profile unless the
 * user says otherwise: Pod Security `restricted` requires it, and upstream sets none.
 */
export const RUNTIME_DEFAULT_SECCOMP: IntendedDifference<any> = {
  reason:
    "ours gives the istiod container and the gateway pod seccompProfile RuntimeDefault by default, as Pod Security restricted requires (the cluster tests admit them in restricted namespaces); upstream sets none, so a namespace enforcing restricted rejects its pods",
  objects: /^(Deployment|DaemonSet)\//,
  align: (ours, theirs) => [withoutAddedSeccomp(ours, theirs), theirs],
};

/** Ours less the RuntimeDefault profiles where the other side has no profile. */
function withoutAddedSeccomp(ours: any, theirs: any): any {
  const copy = structuredClone(ours);
  const pod = copy.spec?.template?.spec;
  const other = theirs.spec?.template?.spec;
  const added = (mine: any, their: any) => mine?.seccompProfile?.type === 'RuntimeDefault' && Object.keys(mine.seccompProfile).length === 1 && !their?.seccompProfile;
  if (!pod) return copy;
  if (added(pod.securityContext, other?.securityContext)) delete pod.securityContext.seccompProfile;
  for (const c of pod.containers ?? []) {
    const t = (other?.containers ?? []).find((x: any) => x.name === c.name);
    if (added(c.securityContext, t?.securityContext)) delete c.securityContext.seccompProfile;
  }
  return copy;
}

/**
 * The istiod chart's three ConfigMaps compared as data (shared by the chart compat tests and
 * the istioctl comparison, which render the same chart as their reference): the values debug
 * dump by its metadata only, the injector's values and config by what the reference has, the
 * mesh config parsed.
 */
export function istiodConfigMapDifferences(reference: string): Record<string, IntendedDifference<any>> {
  return {
    'the values debug dump': {
      reason: `values[-rev] is a debug dump: ours keeps the Deployment keys under \`pilot\` and has no \`original-values\` (Helm does not tell a chart which values the user gave), so only its metadata (less annotations) must carry ${reference}'s`,
      objects: /^ConfigMap\/[^/]*\/values(-\w+)?$/,
      align: (ours, theirs) => {
        const metadata = (o: any) => ({ ...o.metadata, annotations: undefined });
        return [{ metadata: within(metadata(ours), metadata(theirs)) }, { metadata: metadata(theirs) }];
      },
    },
    'the injector values and config': {
      reason: `the injector ConfigMap's \`values\` carries every key ${reference}'s does with the same value, plus the keys the templates read without declaring them; its \`config\` templates are compared by the injection tests, and ${reference} writes an empty injectedAnnotations map as null`,
      objects: /^ConfigMap\/[^/]*\/istio-sidecar-injector/,
      align: (ours, theirs) => {
        const config = (o: any) => {
          const c = YAML.parse(o.data.config);
          delete c.templates;
          delete c.template;
          c.injectedAnnotations ??= {};
          return c;
        };
        const values = (o: any) => JSON.parse(o.data.values);
        return [
          { values: within(values(ours), values(theirs)), config: within(config(ours), config(theirs)), metadata: within(ours.metadata, theirs.metadata) },
          { values: values(theirs), config: config(theirs), metadata: theirs.metadata },
        ];
      },
    },
    'the mesh config as parsed': {
      reason: `the mesh config is compared parsed (key order and comments differ); meshNetworks and the metadata must carry ${reference}'s keys`,
      objects: /^ConfigMap\/[^/]*\/istio(-\w+)?$/,
      align: (ours, theirs) => {
        const parsed = (o: any, key: string) => YAML.parse(o.data[key]);
        return [
          { mesh: parsed(ours, 'mesh'), meshNetworks: within(parsed(ours, 'meshNetworks'), parsed(theirs, 'meshNetworks')), metadata: within(ours.metadata, theirs.metadata) },
          { mesh: parsed(theirs, 'mesh'), meshNetworks: parsed(theirs, 'meshNetworks'), metadata: theirs.metadata },
        ];
      },
    },
  };
}

export type ChartName = 'base' | 'istiod' | 'gateway' | 'cni' | 'ztunnel';

export interface UpstreamComparison {
  readonly chart: ChartName;
  /** Release and namespace a variant gets unless it names its own. */
  readonly release: string;
  readonly namespace?: string;
  /** `--set` expressions given to both charts before each variant's own. */
  readonly set?: string[];
  readonly variants: Array<[string, HelmOptions]>;
  /** Differences we mean to have, by name; anything else must be equal. */
  readonly intended: Record<string, IntendedDifference>;
}

/**
 * Objects rendered by helm v4, keyed by identity. Upstream's output is read as Helm and the
 * API server read it, a repeated key's last value winning (its gateway NetworkPolicy repeats
 * labels); ours must be valid YAML without repeats.
 */
function render(chartDir: string, options: HelmOptions, lenient: boolean): Array<[string, any]> {
  const { objects } = template('v4', chartDir, options, { uniqueKeys: !lenient });
  return objects.map((o) => [identities([o])[0], o]);
}

/**
 * The comparison every chart's compat test makes, one describe block per variant: the same
 * objects (kind, namespace, name), and each equal to upstream's once the intended differences
 * are taken out; last, no intended difference may be one that nothing needs.
 */
export function compareWithUpstream(c: UpstreamComparison): void {
  const intended = new IntendedDifferences<HelmOptions>({ 'chart version labels': CHART_VERSION, ...c.intended });
  let compared = 0;

  describe.each(c.variants)(`${c.chart} chart vs upstream: %s`, (_name, variant) => {
    const options: HelmOptions = {
      ...variant,
      release: variant.release ?? c.release,
      namespace: variant.namespace ?? c.namespace ?? 'istio-system',
      set: [...(c.set ?? []), ...(variant.set ?? [])],
    };
    let ours: Array<[string, any]>;
    let theirs: Array<[string, any]>;
    beforeAll(() => {
      ours = render(chart(c.chart), options, false);
      theirs = render(upstreamChart(c.chart), intended.upstream(options), true);
    });

    test('the same objects (kind, namespace, name)', () => {
      expect(ours.map(([id]) => id).sort()).toEqual(theirs.map(([id]) => id).sort());
    });

    test('each object is equal, apart from the intended differences', () => {
      const mine = new Map(ours);
      const diffs = theirs
        .filter(([id]) => mine.has(id))
        .flatMap(([id, upstream]) => {
          const [a, b] = intended.apply(id, mine.get(id), upstream, options);
          return differences(a, b).map((d) => `${id} ${d}`);
        });
      compared++;
      expect(diffs).toEqual([]);
    });
  });

  // runs last (tests run in the order they are declared); only a full run can tell, so a run
  // filtered with -t skips the check
  test(`every intended difference of the ${c.chart} chart is still needed`, () => {
    if (compared < c.variants.length) return;
    expect(intended.unused()).toEqual([]);
  });
}
