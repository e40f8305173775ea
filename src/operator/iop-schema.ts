/**
 * The IstioOperator resource's shape, checked as istioctl checks it: an unknown field at any
 * depth (inside the Kubernetes types too) or a wrong type is an error naming its full path.
 * The Kubernetes types (Affinity, Toleration, Probe, ServiceSpec, ...) are checked against the
 * attribute tables of @kubernetes/client-node's generated models, loaded one by one as needed.
 * `spec.values` is checked separately, against our charts' values models (values.ts).
 */
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { InputError, closest, formatPath, isObject } from './errors';

export type Schema =
  | { readonly t: 'string' | 'bool' | 'any' | 'scalar' | 'intOrString' | 'quantity' }
  | { readonly t: 'int'; readonly min?: number }
  | { readonly t: 'object'; readonly fields: Readonly<Record<string, Schema>> }
  | { readonly t: 'map'; readonly of: Schema }
  | { readonly t: 'list'; readonly of: Schema }
  | { readonly t: 'k8s'; readonly model: string }
  /** A field istioctl knows that we do not support: naming it is an error that says why. */
  | { readonly t: 'unsupported'; readonly why: string }
  /** Checked by another function (spec.values). */
  | { readonly t: 'custom'; readonly check: (value: unknown, path: Array<string | number>) => void };

const str: Schema = { t: 'string' };
const bool: Schema = { t: 'bool' };
const any: Schema = { t: 'any' };
const obj = (fields: Record<string, Schema>): Schema => ({ t: 'object', fields });
const list = (of: Schema): Schema => ({ t: 'list', of });
const map = (of: Schema): Schema => ({ t: 'map', of });
const k8s = (model: string): Schema => ({ t: 'k8s', model });
const unsupported = (why: string): Schema => ({ t: 'unsupported', why });

const overlay = obj({
  apiVersion: str,
  kind: str,
  name: str,
  patches: list(obj({ path: str, value: any })),
});

const VOLUMES_WHY = 'istioctl never applies k8s.volumes or k8s.volumeMounts; set them as chart values (values.pilot.volumes / volumeMounts for istiod)';

/** The `k8s` block of a component. */
export const K8S_FIELDS: Record<string, Schema> = {
  affinity: k8s('V1Affinity'),
  env: list(k8s('V1EnvVar')),
  hpaSpec: k8s('V2HorizontalPodAutoscalerSpec'),
  imagePullPolicy: str,
  nodeSelector: map(str),
  podDisruptionBudget: k8s('V1PodDisruptionBudgetSpec'),
  podAnnotations: map(str),
  priorityClassName: str,
  readinessProbe: k8s('V1Probe'),
  replicaCount: { t: 'int', min: 0 },
  resources: k8s('V1ResourceRequirements'),
  service: k8s('V1ServiceSpec'),
  strategy: k8s('V1DeploymentStrategy'),
  tolerations: list(k8s('V1Toleration')),
  serviceAnnotations: map(str),
  securityContext: k8s('V1PodSecurityContext'),
  volumes: unsupported(VOLUMES_WHY),
  volumeMounts: unsupported(VOLUMES_WHY),
  overlays: list(overlay),
};

const component = (extra: Record<string, Schema> = {}): Schema =>
  obj({ enabled: bool, namespace: str, hub: str, tag: { t: 'scalar' }, k8s: obj(K8S_FIELDS), ...extra });

const gateway = component({ name: str, label: map(str) });

/** The IstioOperator resource around its spec. */
export function iopSchema(spec: Schema): Schema {
  return obj({ apiVersion: str, kind: str, metadata: k8s('V1ObjectMeta'), spec });
}

/** IstioOperator's spec; `values` is checked by the caller's schema. */
export function specSchema(values: Schema): Schema {
  return obj({
    profile: str,
    installPackagePath: unsupported('the charts are this project\'s own; there is no manifests directory to point at'),
    hub: str,
    tag: { t: 'scalar' },
    namespace: str,
    revision: str,
    compatibilityVersion: str,
    meshConfig: map(any),
    components: obj({
      base: obj({ enabled: bool, k8s: obj(K8S_FIELDS) }),
      pilot: component(),
      cni: component(),
      ztunnel: component(),
      istiodRemote: unsupported('istiodRemote is not a component (istioctl ignores it); use profile=remote or values.istiodRemote'),
      ingressGateways: list(gateway),
      egressGateways: list(gateway),
    }),
    values,
    unvalidatedValues: map(any),
  });
}

type Path = Array<string | number>;

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (isObject(v)) return 'a map';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

const badType = (path: Path, want: string, v: unknown) => new InputError(formatPath(path), `expected ${want}, got ${typeName(v)}`);

/** Check `value` against `schema`; throws an InputError naming the first bad path. */
export function check(value: unknown, schema: Schema, path: Path): void {
  // null is an absent field, as Go's JSON decoding takes it
  if (value === undefined || value === null) return;
  switch (schema.t) {
    case 'any':
      return;
    case 'custom':
      return schema.check(value, path);
    case 'unsupported':
      throw new InputError(formatPath(path), `unsupported: ${schema.why}`);
    case 'string':
      if (typeof value !== 'string') throw badType(path, 'a string', value);
      return;
    case 'bool':
      if (typeof value !== 'boolean') throw badType(path, 'true or false', value);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw badType(path, 'an integer', value);
      if (schema.min !== undefined && value < schema.min) throw new InputError(formatPath(path), `must be at least ${schema.min}, got ${value}`);
      return;
    case 'scalar':
      if (typeof value !== 'string' && typeof value !== 'number') throw badType(path, 'a string or number', value);
      return;
    case 'intOrString':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) throw badType(path, 'an integer or string', value);
      return;
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') throw badType(path, 'a quantity (e.g. 100m, 1Gi)', value);
      return;
    case 'list':
      if (!Array.isArray(value)) throw badType(path, 'a list', value);
      value.forEach((v, i) => check(v, schema.of, [...path, i]));
      return;
    case 'map':
      if (!isObject(value)) throw badType(path, 'a map', value);
      for (const [k, v] of Object.entries(value)) check(v, schema.of, [...path, k]);
      return;
    case 'object': {
      if (!isObject(value)) throw badType(path, 'a map', value);
      for (const [k, v] of Object.entries(value)) {
        const s = schema.fields[k];
        if (!s) throw unknownField([...path, k], Object.keys(schema.fields));
        check(v, s, [...path, k]);
      }
      return;
    }
    case 'k8s':
      return checkModel(value, schema.model, path);
  }
}

/** The error for an unknown key, with the closest known one as a hint. */
export function unknownField(path: Path, known: readonly string[]): InputError {
  const name = String(path[path.length - 1]);
  const hint = closest(name, known);
  return new InputError(formatPath(path), `unknown field${hint ? `; did you mean ${hint}?` : ''}`);
}

// ---- Kubernetes types from @kubernetes/client-node's models --------------------------------------

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

const models = new Map<string, Attribute[]>();
let modelsDir: string | undefined;

/**
 * A model's attribute table. The generated model files are ES modules; their tables are JSON
 * arrays, read as data so that any loader (CommonJS, jest) can use them.
 */
function attributes(model: string): Attribute[] {
  let attrs = models.get(model);
  if (!attrs) {
    if (!/^[A-Za-z0-9]+$/.test(model)) throw new Error(`bad Kubernetes model name ${model}`);
    modelsDir ??= join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist', 'gen', 'models');
    const text = readFileSync(join(modelsDir, `${model}.js`), 'utf8');
    const m = new RegExp(`${model}\\.attributeTypeMap = (\\[[\\s\\S]*?\\]);`).exec(text);
    if (!m) throw new Error(`no attribute table in @kubernetes/client-node's ${model}`);
    attrs = JSON.parse(m[1]) as Attribute[];
    models.set(model, attrs);
  }
  return attrs;
}

/** Fields whose strings are Kubernetes quantities, which YAML users also write as numbers. */
const QUANTITY_MAPS = new Set(['V1ResourceRequirements.limits', 'V1ResourceRequirements.requests']);
const QUANTITY_FIELDS = new Set(['V2MetricTarget.averageValue', 'V2MetricTarget.value']);

function checkModel(value: unknown, model: string, path: Path): void {
  if (!isObject(value)) throw badType(path, `a map (${model.replace(/^V\d+(beta\d+)?|^Core/, '')})`, value);
  const attrs = attributes(model);
  for (const [k, v] of Object.entries(value)) {
    const a = attrs.find((x) => x.baseName === k);
    if (!a) throw unknownField([...path, k], attrs.map((x) => x.baseName));
    if (v === null) continue;
    const ref = `${model}.${k}`;
    if (QUANTITY_MAPS.has(ref)) check(v, map({ t: 'quantity' }), [...path, k]);
    else if (QUANTITY_FIELDS.has(ref)) check(v, { t: 'quantity' }, [...path, k]);
    else checkType(v, a.type, a.format, [...path, k]);
  }
}

function checkType(v: unknown, type: string, format: string, path: Path): void {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    if (!Array.isArray(v)) throw badType(path, 'a list', v);
    v.forEach((x, i) => checkType(x, arr[1], '', [...path, i]));
    return;
  }
  const dict = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (dict) {
    if (!isObject(v)) throw badType(path, 'a map', v);
    for (const [k, x] of Object.entries(v)) checkType(x, dict[1], '', [...path, k]);
    return;
  }
  switch (type) {
    case 'string':
      return check(v, str, path);
    case 'boolean':
      return check(v, bool, path);
    case 'number':
      if (format.startsWith('int')) return check(v, { t: 'int' }, path);
      if (typeof v !== 'number') throw badType(path, 'a number', v);
      return;
    case 'IntOrString':
      return check(v, { t: 'intOrString' }, path);
    case 'any':
    case 'object':
      return;
    case 'Date':
      return check(v, str, path);
    default:
      return checkModel(v, type, path);
  }
}
