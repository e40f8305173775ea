/**
 * kube-inject's walk over a manifest stream: every workload's pod (template) becomes an
 * AdmissionReview for istiod's `/inject` endpoint, exactly what the apiserver would send when
 * the workload's controller creates a pod; the JSONPatch that comes back is applied to the
 * template. Other documents pass through unchanged, and the stream keeps its order.
 *
 * A controller's pod has a generated name and a controller reference, from which istiod derives
 * the workload name and kind it writes into the proxy's environment (ISTIO_META_WORKLOAD_NAME,
 * ISTIO_META_OWNER). The review's pod carries the same two fields for the workload itself; they
 * are taken off again after the patch.
 *
 * Pure: no cluster here (the backend is passed in), so unit tests cover it.
 */
import { randomUUID } from 'crypto';
import * as YAML from 'yaml';
import { PatchOperation, applyPatch } from './jsonpatch';

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: { group: string; version: string; kind: string };
  readonly resource: { group: string; version: string; resource: string };
  readonly requestKind: { group: string; version: string; kind: string };
  readonly requestResource: { group: string; version: string; resource: string };
  readonly namespace: string;
  readonly operation: 'CREATE';
  readonly userInfo: { username: string };
  readonly object: any;
  readonly dryRun: boolean;
  readonly options: { apiVersion: string; kind: string };
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export interface AdmissionResponse {
  uid?: string;
  allowed: boolean;
  patch?: string;
  patchType?: string;
  status?: { message?: string; code?: number };
  warnings?: string[];
}

/** Sends reviews to an injector (istiod online, or its webhook code offline); one response per review, in order. */
export type InjectBackend = (reviews: AdmissionReview[]) => Promise<AdmissionResponse[]>;

/** Where a kind keeps its pod template, by API group (core is ''). */
const WORKLOADS: Record<string, { groups: string[]; template: string[] }> = {
  Pod: { groups: [''], template: [] },
  Deployment: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  StatefulSet: { groups: ['apps'], template: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  ReplicationController: { groups: [''], template: ['spec', 'template'] },
  Job: { groups: ['batch'], template: ['spec', 'template'] },
  CronJob: { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

const groupOf = (apiVersion: unknown): string => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** The path of an object's pod template, [] for a Pod itself, or undefined when it has none we inject. */
export function templatePath(obj: any): string[] | undefined {
  if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') return undefined;
  const w = WORKLOADS[obj.kind];
  if (!w || !w.groups.includes(groupOf(obj.apiVersion))) return undefined;
  return w.template;
}

function at(obj: any, path: string[]): any {
  return path.reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** One workload's pod, as the apiserver would hand it to the webhook. */
export function reviewFor(obj: any, defaultNamespace: string): AdmissionReview {
  const path = templatePath(obj);
  if (path === undefined) throw new Error(`${obj?.kind} has no pod template`);
  const template = path.length ? at(obj, path) : obj;
  if (!template || typeof template !== 'object' || !template.spec) throw new Error(`${describe(obj)}: ${path.join('.') || 'the pod'} has no spec`);
  const namespace = obj.metadata?.namespace ?? defaultNamespace;
  const metadata = { ...(template.metadata ?? {}) };
  if (path.length) {
    delete metadata.name;
    metadata.namespace = namespace;
    metadata.generateName = `${obj.metadata?.name ?? 'workload'}-`;
    metadata.ownerReferences = [{ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name ?? '', uid: '00000000-0000-0000-0000-000000000000', controller: true }];
  } else {
    metadata.namespace = namespace;
  }
  const pod = asApiserverSends({ apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec });
  const gvk = { group: '', version: 'v1', kind: 'Pod' };
  const gvr = { group: '', version: 'v1', resource: 'pods' };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      requestResource: gvr,
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'istio-charts kube-inject' },
      object: pod,
      dryRun: true,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/**
 * The apiserver sends the webhook a pod serialized from its Go types, so struct fields are always
 * there (a container's `resources: {}`, `metadata.creationTimestamp: null`, `status: {}`), and
 * istiod's patch assumes them (e.g. `add /spec/containers/0/resources/requests`). The review's
 * pod gets the same; `fromApiserverShape` takes off what stayed empty.
 */
function asApiserverSends(pod: any): any {
  const out = structuredClone(pod);
  out.metadata = { creationTimestamp: null, ...out.metadata };
  out.spec = { ...out.spec };
  for (const key of ['initContainers', 'containers']) {
    if (Array.isArray(out.spec[key])) out.spec[key] = out.spec[key].map((c: any) => ({ ...c, resources: c.resources ?? {} }));
  }
  out.status = {};
  return out;
}

const isEmpty = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

/** Undo asApiserverSends where nothing filled what it added. */
function fromApiserverShape(patched: any, original: any): { metadata: any; spec: any } {
  const metadata = { ...(patched.metadata ?? {}) };
  if (metadata.creationTimestamp === null && !(original.metadata && 'creationTimestamp' in original.metadata)) delete metadata.creationTimestamp;
  const spec = { ...(patched.spec ?? {}) };
  for (const key of ['initContainers', 'containers']) {
    if (!Array.isArray(spec[key])) continue;
    const before = new Map<string, any>((original.spec?.[key] ?? []).map((c: any) => [c.name, c]));
    spec[key] = spec[key].map((c: any) => {
      if (!isEmpty(c.resources) || (before.get(c.name) && 'resources' in before.get(c.name))) return c;
      const { resources: _, ...rest } = c;
      return rest;
    });
  }
  return { metadata, spec };
}

export function describe(obj: any): string {
  const ns = obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj?.kind ?? 'object'} ${ns}${obj?.metadata?.name ?? '(unnamed)'}`;
}

/** The object with the patched pod written back into its template (the review's own fields removed). */
export function applyResponse(obj: any, review: AdmissionReview, response: AdmissionResponse): { object: any; injected: boolean } {
  if (!response.allowed) throw new Error(`${describe(obj)}: the injector refused the pod: ${response.status?.message ?? 'no reason given'}`);
  if (!response.patch) return { object: obj, injected: false };
  if (response.patchType && response.patchType !== 'JSONPatch') throw new Error(`${describe(obj)}: the injector answered with a ${response.patchType} patch; only JSONPatch is understood`);
  const ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as PatchOperation[];
  const sent = review.request!.object;
  const patched = applyPatch(sent, ops);
  const path = templatePath(obj)!;
  const out = structuredClone(obj);
  const original = path.length ? at(obj, path) : obj;
  const shaped = fromApiserverShape(patched, original);
  const metadata = shaped.metadata;
  // the fields the review added; what the object had itself stays
  for (const k of ['namespace', 'generateName', 'ownerReferences', 'name']) {
    if (original.metadata && k in original.metadata) metadata[k] = original.metadata[k];
    else delete metadata[k];
  }
  if (path.length) {
    const parent = at(out, path.slice(0, -1));
    parent[path[path.length - 1]] = { ...original, metadata, spec: shaped.spec };
  } else {
    out.metadata = metadata;
    out.spec = shaped.spec;
  }
  return { object: out, injected: true };
}

export interface InjectResult {
  readonly text: string;
  /** Workloads injected, and those istiod left alone (with why, when it said). */
  readonly injected: string[];
  readonly skipped: string[];
  readonly warnings: string[];
}

interface Slot {
  /** The document or list item this is. */
  obj: any;
  set: (obj: any) => void;
}

/** Inject every workload of a YAML (or JSON) stream through `backend`; returns the new stream. */
export async function injectManifest(text: string, backend: InjectBackend, opts: { namespace: string }): Promise<InjectResult> {
  const docs = YAML.parseAllDocuments(text);
  const slots: Slot[] = [];
  const values: any[] = [];
  const changed = new Set<number>();
  docs.forEach((d, i) => {
    if (d.errors.length) throw new InputError(`document ${i + 1}: ${d.errors[0].message}`);
    const v = d.toJS({ maxAliasCount: -1 });
    values[i] = v;
    if (templatePath(v) !== undefined) {
      slots.push({ obj: v, set: (o) => ((values[i] = o), changed.add(i)) });
    } else if (v && v.kind === 'List' && Array.isArray(v.items)) {
      v.items.forEach((item: any, j: number) => {
        if (templatePath(item) !== undefined) slots.push({ obj: item, set: (o) => ((values[i].items[j] = o), changed.add(i)) });
      });
    }
  });
  const reviews = slots.map((s) => reviewFor(s.obj, opts.namespace));
  const responses = reviews.length ? await backend(reviews) : [];
  if (responses.length !== reviews.length) throw new Error(`the injector answered ${responses.length} of ${reviews.length} reviews`);
  const injected: string[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  slots.forEach((s, k) => {
    const r = applyResponse(s.obj, reviews[k], responses[k]);
    for (const w of responses[k].warnings ?? []) warnings.push(`${describe(s.obj)}: ${w}`);
    if (r.injected) {
      injected.push(describe(s.obj));
      s.set(r.object);
    } else skipped.push(describe(s.obj));
  });
  const parts: string[] = [];
  docs.forEach((d, i) => {
    if (values[i] === null || values[i] === undefined) return;
    // a document as written (comments kept), without its own `---`: the join adds them
    parts.push(changed.has(i) ? YAML.stringify(values[i], { lineWidth: 0 }) : d.toString({ lineWidth: 0 }).replace(/^---[ \t]*\n/, ''));
  });
  return { text: parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('---\n'), injected, skipped, warnings };
}

/** A manifest that cannot be read; the CLI exits 2. */
export class InputError extends Error {
  name = 'InputError';
}
