/**
 * The Gateway API CRDs at the version the pinned istiod is built against,
 * read from the `sigs.k8s.io/gateway-api` module through the Go proxy. They are not part of
 * our charts (users install them from the Gateway API project); tests and users of the local
 * cluster apply them when they want Gateway API.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { moduleDir } from '../tools/go';
import { ISTIO_MODULE } from '../versions';

/** The gateway-api version istiod's go.mod requires. */
export function gatewayApiVersion(): string {
  const mod = readFileSync(join(moduleDir(ISTIO_MODULE.path, ISTIO_MODULE.version), 'go.mod'), 'utf8');
  const v = /sigs\.k8s\.io\/gateway-api (v\S+)/.exec(mod)?.[1];
  if (!v) throw new Error(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version} does not require sigs.k8s.io/gateway-api`);
  return v;
}

/**
 * The CRDs of a release channel as one multi-document YAML text: `standard`, or `experimental`
 * (the standard kinds with their experimental fields, plus the `x-k8s.io` kinds), which the
 * Gateway API conformance suite is run against. A cluster gets one channel: the experimental
 * bundle's ValidatingAdmissionPolicy refuses experimental CRDs over standard ones.
 */
export function gatewayApiCrds(channel: 'standard' | 'experimental' = 'standard'): string {
  const dir = join(moduleDir('sigs.k8s.io/gateway-api', gatewayApiVersion()), 'config', 'crd', channel);
  const groups = channel === 'standard' ? ['gateway.networking.k8s.io_'] : ['gateway.networking.k8s.io_', 'gateway.networking.x-k8s.io_'];
  return readdirSync(dir)
    .filter((f) => groups.some((g) => f.startsWith(g)) && f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n---\n');
}
