/**
 * The Gateway API CRDs (standard channel) at the version the pinned istiod is built against,
 * read from the `sigs.k8s.io/gateway-api` module through the Go proxy. They are not part of
 * our charts (users install them from the Gateway API project); tests and users of the local
 * cluster apply them when they want Gateway API.
 */
import { execFileSync } from 'child_process';
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { ISTIO_MODULE } from './../versions';

function moduleDir(ref: string): { Dir?: string; GoMod?: string; Error?: string } {
  return JSON.parse(execFileSync('go', ['mod', 'download', '-json', ref], { encoding: 'utf8', cwd: '/' }));
}

/** The gateway-api version istiod's go.mod requires. */
export function gatewayApiVersion(): string {
  const istio = moduleDir(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version}`);
  const mod = readFileSync(istio.GoMod ?? join(istio.Dir ?? '', 'go.mod'), 'utf8');
  const v = /sigs\.k8s\.io\/gateway-api (v\S+)/.exec(mod)?.[1];
  if (!v) throw new Error(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version} does not require sigs.k8s.io/gateway-api`);
  return v;
}

/** The standard-channel CRDs as one multi-document YAML text. */
export function gatewayApiCrds(): string {
  const version = gatewayApiVersion();
  const info = moduleDir(`sigs.k8s.io/gateway-api@${version}`);
  if (!info.Dir) throw new Error(`go mod download sigs.k8s.io/gateway-api@${version}: ${info.Error}`);
  const dir = join(info.Dir, 'config', 'crd', 'standard');
  return readdirSync(dir)
    .filter((f) => f.startsWith('gateway.networking.k8s.io_') && f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n---\n');
}
