/**
 * RFC 6902 JSON Patch, as istiod's injection webhook returns it (`add`, `replace`, `remove`
 * mostly; all six operations here), applied to a copy of a document. Paths are RFC 6901 JSON
 * pointers (`~1` is `/`, `~0` is `~`; `-` appends to an array). A patch that does not fit the
 * document fails naming the operation, as the apiserver would refuse it.
 */

export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export class PatchError extends Error {}

type Container = Record<string, unknown> | unknown[];

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`JSON pointer ${JSON.stringify(pointer)} does not start with /`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

function arrayIndex(arr: unknown[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError(`${pointer}: ${JSON.stringify(token)} is not an array index`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) throw new PatchError(`${pointer}: index ${i} is out of range (length ${arr.length})`);
  return i;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: unknown, pointer: string): { parent: Container; key: string } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchError('the root cannot be the target of this operation');
  let node: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, t, false, pointer)];
    else if (isContainer(node) && Object.prototype.hasOwnProperty.call(node, t)) node = (node as Record<string, unknown>)[t];
    else throw new PatchError(`${pointer}: ${JSON.stringify(t)} does not exist`);
  }
  if (!isContainer(node)) throw new PatchError(`${pointer}: the parent is not an object or array`);
  return { parent: node, key: tokens[tokens.length - 1] };
}

export function getPointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, t, false, pointer)];
    else if (isContainer(node) && Object.prototype.hasOwnProperty.call(node, t)) node = (node as Record<string, unknown>)[t];
    else throw new PatchError(`${pointer}: ${JSON.stringify(t)} does not exist`);
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): { doc: unknown; removed: unknown } {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, key, false, pointer), 1);
    return { doc, removed };
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new PatchError(`${pointer}: nothing to remove`);
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isContainer(a) || !isContainer(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]));
}

/** The document with every operation applied in order; the input is not modified. */
export function applyPatch<T>(document: T, patch: readonly PatchOperation[]): T {
  let doc: unknown = structuredClone(document);
  patch.forEach((op, i) => {
    const where = `patch operation ${i} (${op.op} ${op.path})`;
    try {
      switch (op.op) {
        case 'add':
          doc = add(doc, op.path, structuredClone(op.value));
          break;
        case 'remove':
          doc = remove(doc, op.path).doc;
          break;
        case 'replace':
          getPointer(doc, op.path); // must exist
          if (op.path === '') doc = structuredClone(op.value);
          else {
            const { parent, key } = parentOf(doc, op.path);
            if (Array.isArray(parent)) parent[arrayIndex(parent, key, false, op.path)] = structuredClone(op.value);
            else parent[key] = structuredClone(op.value);
          }
          break;
        case 'move': {
          if (op.from === undefined) throw new PatchError('move needs from');
          if (op.path.startsWith(`${op.from}/`)) throw new PatchError(`cannot move ${op.from} into itself`);
          const r = remove(doc, op.from);
          doc = add(r.doc, op.path, r.removed);
          break;
        }
        case 'copy':
          if (op.from === undefined) throw new PatchError('copy needs from');
          doc = add(doc, op.path, structuredClone(getPointer(doc, op.from)));
          break;
        case 'test':
          if (!deepEqual(getPointer(doc, op.path), op.value)) throw new PatchError('test failed: the value differs');
          break;
        default:
          throw new PatchError(`unknown operation ${JSON.stringify((op as { op: unknown }).op)}`);
      }
    } catch (e) {
      throw new PatchError(`${where}: ${(e as Error).message}`);
    }
  });
  return doc as T;
}
