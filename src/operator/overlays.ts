/**
 * Post-render patches: what IstioOperator asks for that a chart has no value for. Two forms,
 * applied in order to the one object of a release they name (kind and name; the namespace is
 * not compared, as istioctl does not):
 * - `merge`: a strategic-merge patch, for the `k8s` fields (maps merge, null deletes, lists of
 *   containers, env, ports, volumes merge by their key, other lists are replaced);
 * - `patches`: IstioOperator `overlays` paths (`spec.template.spec.containers.[name:discovery].args.[0]`),
 *   `a.[key:value].b`, `[N]`, `[:leafValue]`; a null or absent value deletes the node.
 * Unlike istioctl, a patch that cannot apply (no such object, no matching element) is an error
 * naming the overlay, rather than silently nothing.
 */
import { clone, isObject } from './errors';

export type KubeObject = Record<string, any>;

export interface PathPatch {
  readonly path: string;
  /** Absent or null: delete the node. */
  readonly value?: unknown;
}

export interface Overlay {
  /** The IstioOperator path it comes from, for messages. */
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  /** Strategic-merge patch. */
  readonly merge?: Record<string, unknown>;
  /** IstioOperator path patches, after `merge`. */
  readonly patches?: readonly PathPatch[];
  /** New metadata.name, after the patches (the legacy gateway charts' object names). */
  readonly rename?: string;
}

/** An overlay that could not apply. */
export class OverlayError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'OverlayError';
  }
}

/** The objects with every overlay applied, in order (pure: the inputs are not changed). */
export function postRender(objects: readonly KubeObject[], overlays: readonly Overlay[]): KubeObject[] {
  const out = objects.map((o) => clone(o));
  for (const ov of overlays) {
    const target = out.find((o) => o?.kind === ov.kind && o?.metadata?.name === ov.name);
    if (!target) {
      const have = out.map((o) => `${o?.kind}/${o?.metadata?.name}`).join(', ');
      throw new OverlayError(ov.source, `no ${ov.kind} named ${ov.name} to patch (the release renders ${have || 'nothing'})`);
    }
    if (ov.merge) {
      const merged = strategicMerge(target, ov.merge, '');
      for (const k of Object.keys(target)) delete target[k];
      Object.assign(target, merged);
    }
    ov.patches?.forEach((p, i) => applyPathPatch(target, p, `${ov.source}.patches[${i}]`));
    if (ov.rename) target.metadata.name = ov.rename;
  }
  return out;
}

// ---- strategic merge -------------------------------------------------------------------------

/** The key that identifies the items of a list field, as Kubernetes' patchMergeKey. */
function mergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      // container ports merge by containerPort, Service ports by port
      return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/** `patch` merged into `target` (a new value); `field` names the key it sits under. */
export function strategicMerge(target: unknown, patch: unknown, field: string): unknown {
  if (isObject(patch)) {
    if (!isObject(target)) return stripNulls(patch);
    const out: Record<string, unknown> = clone(target);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = k in out ? strategicMerge(out[k], v, k) : stripNulls(v);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(target)) {
    const key = mergeKey(field, [...target, ...patch]);
    if (!key || ![...target, ...patch].every((i) => isObject(i) && key in i)) return clone(patch);
    const server = target as Record<string, unknown>[];
    const serverIndex = (o: Record<string, unknown>) => server.findIndex((t) => t[key] === o[key]);
    const patched = (patch as Record<string, unknown>[]).map((item) => {
      const at = serverIndex(item);
      return (at >= 0 ? strategicMerge(server[at], item, '') : stripNulls(item)) as Record<string, unknown>;
    });
    const serverOnly = server.filter((o) => !patched.some((p) => p[key] === o[key])).map((o) => clone(o));
    // apimachinery's order (mergeSortedSlice): the patch's items in their order, a server-only
    // item taken first only where it precedes the next patch item on the server, so an item
    // new to the list comes before the ones it was patched into
    const out: Record<string, unknown>[] = [];
    let i = 0;
    let j = 0;
    while (i < serverOnly.length || j < patched.length) {
      const left = serverOnly[i];
      const right = patched[j];
      const takeLeft = right === undefined || (left !== undefined && serverIndex(right) >= 0 && serverIndex(left) < serverIndex(right));
      out.push(takeLeft ? left : right);
      if (takeLeft) i++;
      else j++;
    }
    return out;
  }
  return clone(patch);
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
}

// ---- path patches ----------------------------------------------------------------------------

export type PathSegment =
  | { readonly key: string }
  | { readonly index: number }
  | { readonly match: { readonly key: string; readonly value: string } }
  | { readonly leaf: string };

/**
 * An overlay path: dot-separated keys (`\.` for a dot inside a key), with list selectors
 * `[N]`, `[key:value]` and `[:leafValue]`, alone or after a key (`containers[name:x]`).
 * Dots inside brackets do not split.
 */
export function parseOverlayPath(path: string): PathSegment[] {
  const raw: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
      continue;
    }
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      raw.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  raw.push(cur);
  const out: PathSegment[] = [];
  for (const part of raw.filter((p) => p !== '')) {
    const bracket = part.indexOf('[');
    if (bracket > 0) {
      out.push({ key: part.slice(0, bracket) });
      out.push(selector(part.slice(bracket), path));
    } else if (bracket === 0) {
      out.push(selector(part, path));
    } else {
      out.push({ key: part });
    }
  }
  if (!out.length) throw new Error(`empty overlay path "${path}"`);
  return out;
}

function selector(seg: string, path: string): PathSegment {
  const m = /^\[(.*)\]$/.exec(seg);
  if (!m) throw new Error(`bad segment ${seg} in overlay path "${path}"`);
  const inner = m[1];
  if (/^\d+$/.test(inner)) return { index: Number(inner) };
  if (inner.startsWith(':') && inner.length > 1) return { leaf: inner.slice(1) };
  const colon = inner.indexOf(':');
  if (colon > 0 && colon < inner.length - 1) return { match: { key: inner.slice(0, colon), value: inner.slice(colon + 1) } };
  throw new Error(`bad list selector ${seg} in overlay path "${path}": use [N], [key:value] or [:value]`);
}

const describe = (s: PathSegment) =>
  'key' in s ? s.key : 'index' in s ? `[${s.index}]` : 'match' in s ? `[${s.match.key}:${s.match.value}]` : `[:${s.leaf}]`;

/** Apply one path patch to `root` in place; errors name `source`. */
export function applyPathPatch(root: KubeObject, patch: PathPatch, source: string): void {
  let segs: PathSegment[];
  try {
    segs = parseOverlayPath(patch.path);
  } catch (e) {
    throw new OverlayError(`${source}.path`, (e as Error).message);
  }
  const remove = patch.value === undefined || patch.value === null;
  let node: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const where = segs.slice(0, i + 1).map(describe).join('.');
    const fail = (msg: string): never => {
      throw new OverlayError(`${source}.path`, `${patch.path}: ${msg} at ${where}`);
    };
    if ('key' in seg) {
      if (!isObject(node)) return fail('not a map');
      if (last) {
        if (remove) delete node[seg.key];
        else node[seg.key] = clone(patch.value);
        return;
      }
      if (node[seg.key] === undefined || node[seg.key] === null) {
        if (remove) return; // nothing to delete
        const next = segs[i + 1];
        node[seg.key] = 'key' in next ? {} : [];
      }
      node = node[seg.key];
      continue;
    }
    if (!Array.isArray(node)) return fail('not a list');
    let at: number;
    if ('index' in seg) at = seg.index < node.length || (last && !remove && seg.index === node.length) ? seg.index : -1;
    else if ('match' in seg) at = node.findIndex((e) => isObject(e) && e[seg.match.key] !== undefined && String(e[seg.match.key]) === seg.match.value);
    else at = node.findIndex((e) => !isObject(e) && !Array.isArray(e) && String(e) === seg.leaf);
    if (at < 0) return fail('no such element');
    if (last) {
      if (remove) node.splice(at, 1);
      else node[at] = clone(patch.value);
      return;
    }
    if ('leaf' in seg) return fail('a leaf value selector must end the path');
    node = node[at];
  }
}
