/**
 * `npm run update-crds`: refresh crd-all.gen.yaml from the istio.io/api module of the pinned
 * version (through the Go module proxy) and record its provenance; regenerate the meshConfig
 * schema from the same module's MeshConfig descriptors.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, chmodSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ISTIO_API_MODULE } from '../versions';
import { CRD_FILE, PROVENANCE_FILE, CrdProvenance, sha256 } from './index';
import { MESHCONFIG_SCHEMA_FILE, generateMeshConfigSchema } from './meshconfig';

const SOURCE_PATH = 'kubernetes/customresourcedefinitions.gen.yaml';

function main() {
  const ref = `${ISTIO_API_MODULE.path}@${ISTIO_API_MODULE.version}`;
  let info: { Dir?: string; Error?: string };
  try {
    info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', ref], { encoding: 'utf8', cwd: '/' }));
  } catch (e: any) {
    throw new Error(`go mod download ${ref} failed (is Go installed and the module proxy reachable?): ${e.stdout || e.message}`);
  }
  if (!info.Dir) throw new Error(`go mod download ${ref}: ${info.Error}`);
  const source = join(info.Dir, SOURCE_PATH);
  copyFileSync(source, CRD_FILE);
  chmodSync(CRD_FILE, 0o644);
  const p: CrdProvenance = {
    module: ISTIO_API_MODULE.path,
    version: ISTIO_API_MODULE.version,
    path: SOURCE_PATH,
    sha256: sha256(readFileSync(CRD_FILE)),
  };
  writeFileSync(PROVENANCE_FILE, JSON.stringify(p, null, 2) + '\n');
  console.log(`CRDs from ${ref}/${SOURCE_PATH}, sha256 ${p.sha256}`);
  writeFileSync(MESHCONFIG_SCHEMA_FILE, generateMeshConfigSchema());
  console.log(`meshConfig schema from ${ref} MeshConfig descriptors written to ${MESHCONFIG_SCHEMA_FILE}`);
}

main();
