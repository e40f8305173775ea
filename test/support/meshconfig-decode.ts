/** istiod's own mesh config decoding (see meshconfig-decode/main.go), for checking the generated schema. */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { goBuildProgram } from '../../src/tools/go';
import { ISTIO_MODULE } from '../../src/versions';

export interface DecodeVerdict {
  /** jsonpb refusing unknown fields: what the schema models. Empty when accepted. */
  readonly strict: string;
  /** istiod reading its mesh ConfigMap (unknown fields ignored). Empty when accepted. */
  readonly istiod: string;
}

export function decodeMeshConfigs(configs: readonly unknown[]): DecodeVerdict[] {
  const binary = goBuildProgram({
    label: "istiod's mesh config decoder",
    main: join(__dirname, 'meshconfig-decode', 'main.go'),
    requires: [ISTIO_MODULE],
    key: `meshconfig-decode-${ISTIO_MODULE.version}`,
    binary: 'meshconfig-decode',
  });
  const dir = mkdtempSync(join(tmpdir(), 'meshconfig-decode-'));
  try {
    execFileSync(binary, [join(dir, 'out.json')], { input: JSON.stringify(configs), stdio: ['pipe', 'ignore', 'pipe'] });
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
