/**
 * Upstream's typed definition of chart values (operator/pkg/apis/values_types.proto of the
 * pinned istio.io/istio), as the field tree values-types-dump/main.go prints from its Go
 * descriptors, and a walker that resolves a key path in one of our values schemas.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { goBuildProgram } from '../../src/tools/go';
import { ISTIO_MODULE } from '../../src/versions';

export interface UpstreamField {
  /** The JSON name, which upstream's values files and charts use. */
  readonly name: string;
  readonly protoName: string;
  /** boolean, string, integer, number, enum, duration, intOrString, object (Struct), any (Value), message. */
  readonly kind: string;
  readonly type?: string;
  readonly repeated?: boolean;
  readonly map?: boolean;
  readonly deprecated?: boolean;
  readonly enum?: string[];
  readonly fields?: UpstreamField[];
}

export function upstreamValuesTypes(): UpstreamField[] {
  const binary = goBuildProgram({
    label: 'the values_types.proto field dumper',
    main: join(__dirname, 'values-types-dump', 'main.go'),
    requires: [ISTIO_MODULE],
    key: `values-types-dump-${ISTIO_MODULE.version}`,
    binary: 'values-types-dump',
  });
  return JSON.parse(execFileSync(binary, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

type Schema = Record<string, any>;

/** What our schema says about a key: typed there, accepted by an open map, or rejected. */
export type Lookup = { status: 'known'; schema: Schema } | { status: 'open' } | { status: 'unknown' };

export class SchemaWalker {
  constructor(private readonly root: Schema) {}

  /** Follow $ref and single-branch allOf wrappers to the schema that holds the keywords. */
  deref(s: Schema): Schema {
    let node = s;
    for (;;) {
      if (typeof node.$ref === 'string') {
        node = node.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce((n: Schema, part: string) => n[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.root);
      } else if (Array.isArray(node.allOf) && node.allOf.length === 1 && !node.properties) {
        node = node.allOf[0];
      } else return node;
    }
  }

  child(parent: Schema, key: string): Lookup {
    const node = this.deref(parent);
    if (node.properties?.[key]) return { status: 'known', schema: node.properties[key] };
    if (node.additionalProperties && typeof node.additionalProperties === 'object') return { status: 'known', schema: node.additionalProperties };
    if (node.additionalProperties === false) return { status: 'unknown' };
    return { status: 'open' };
  }

  /** Whether the schema admits values of a JSON type (an integer is a number too). */
  admits(s: Schema, type: string): boolean {
    const t = this.types(s);
    return t.size === 0 || t.has(type) || (type === 'integer' && t.has('number'));
  }

  /** JSON types a schema admits; empty when it does not restrict them. */
  types(s: Schema): Set<string> {
    const node = this.deref(s);
    const out = new Set<string>();
    const add = (t: unknown) => (Array.isArray(t) ? t : t === undefined ? [] : [t]).forEach((x) => out.add(String(x)));
    add(node.type);
    if (Array.isArray(node.enum)) node.enum.forEach((v: unknown) => out.add(v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v));
    for (const branch of node.anyOf ?? []) {
      const t = this.types(branch);
      if (t.size === 0) return new Set();
      t.forEach((x) => out.add(x));
    }
    return out;
  }
}
