/**
 * The Istio CRDs of the pinned release, as data: `crd-all.gen.yaml` is the file
 * `kubernetes/customresourcedefinitions.gen.yaml` of the istio.io/api module, unchanged;
 * `provenance.json` records where it came from and its sha256.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';

export interface CrdProvenance {
  readonly module: string;
  readonly version: string;
  readonly path: string;
  readonly sha256: string;
}

export const CRD_FILE = join(__dirname, 'crd-all.gen.yaml');
export const PROVENANCE_FILE = join(__dirname, 'provenance.json');

export interface Crd {
  /** e.g. `wasmplugins.extensions.istio.io` */
  readonly name: string;
  readonly kind: string;
  /** The parsed document. */
  readonly object: any;
  /** The text under `spec:` exactly as in the source file, de-indented to column 0. */
  readonly specText: string;
  /** metadata.annotations of the source. */
  readonly annotations: Record<string, string>;
}

export function provenance(): CrdProvenance {
  return JSON.parse(readFileSync(PROVENANCE_FILE, 'utf8'));
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parse the CRD file; fails if it no longer matches its recorded checksum. */
export function loadCrds(): Crd[] {
  const text = readFileSync(CRD_FILE, 'utf8');
  const p = provenance();
  if (sha256(text) !== p.sha256) {
    throw new Error(`${CRD_FILE} does not match the sha256 in provenance.json; run npm run update-crds`);
  }
  return text.split('\n---\n').map((doc) => {
    const object = YAML.parse(doc);
    const at = doc.indexOf('\nspec:\n');
    if (at < 0) throw new Error(`CRD ${object?.metadata?.name} has no top-level spec`);
    const specText = doc
      .slice(at + '\nspec:\n'.length)
      .replace(/\n+$/, '')
      .split('\n')
      .map((l) => {
        if (l !== '' && !l.startsWith('  ')) throw new Error(`CRD ${object.metadata.name}: spec is not the last key`);
        return l.slice(2);
      })
      .join('\n');
    return {
      name: object.metadata.name,
      kind: object.spec.names.kind,
      object,
      specText,
      annotations: object.metadata.annotations ?? {},
    };
  });
}
