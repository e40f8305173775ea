/**
 * Release size: what Helm stores for each chart's release (the Secret
 * sh.helm.release.v1.<release>.v1, whose data Kubernetes caps at 1 MiB per Secret), read back
 * from the local cluster after a default install, and the bytes of each chart's default render.
 */
import { ControlPlane } from '../src/cluster/control-plane';
import type { Side } from './install';
import type { RenderedBytes } from './render';
import { SAME_IMAGES, chartPath } from './render';
import { Figure, Verdict, fmt, table, verdict } from './stats';

export const RELEASES = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-ingressgateway' } as const;
type Chart = keyof typeof RELEASES;
export type SecretSizes = Record<Chart, number>;

const SECRET_LIMIT = 1024 * 1024;

/** Bytes of a release Secret's data (what counts against the limit). */
async function secretBytes(cp: ControlPlane, release: string): Promise<number> {
  const s = await cp.get(`/api/v1/namespaces/istio-system/secrets/sh.helm.release.v1.${release}.v1`);
  if (!s) throw new Error(`no release Secret sh.helm.release.v1.${release}.v1 in istio-system`);
  return Object.values(s.data as Record<string, string>).reduce((n, v) => n + Buffer.from(v, 'base64').length, 0);
}

/**
 * With base and istiod of `side` installed: installs its gateway chart too (not waited for:
 * only the stored release matters here), reads the three Secrets, and removes the gateway.
 */
export async function releaseSecretSizes(cp: ControlPlane, side: Side): Promise<SecretSizes> {
  const install = cp.helm(['install', RELEASES.gateway, chartPath(side, 'gateway'), '-n', 'istio-system', ...SAME_IMAGES]);
  if (install.status !== 0) throw new Error(`helm install ${RELEASES.gateway} (${side}) failed:\n${install.stderr}`);
  try {
    return { base: await secretBytes(cp, RELEASES.base), istiod: await secretBytes(cp, RELEASES.istiod), gateway: await secretBytes(cp, RELEASES.gateway) };
  } finally {
    cp.helm(['uninstall', RELEASES.gateway, '-n', 'istio-system', '--wait']);
  }
}

export function releaseSizeFigure(rendered: RenderedBytes | undefined, secrets: Partial<Record<Side, SecretSizes>>): Figure {
  const verdicts: Verdict[] = [];
  const rows: string[][] = [['chart', 'release Secret ours', 'upstream', 'ratio', 'rendered ours', 'upstream', 'ratio']];
  for (const chart of Object.keys(RELEASES) as Chart[]) {
    const [so, su] = [secrets.ours?.[chart], secrets.upstream?.[chart]];
    const [ro, ru] = [rendered?.ours[chart], rendered?.upstream[chart]];
    const cell = (x: number | undefined) => (x === undefined ? '-' : fmt.kib(x));
    const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2));
    rows.push([chart, cell(so), cell(su), ratio(so, su), cell(ro), cell(ru), ratio(ro, ru)]);
    if (so !== undefined && su !== undefined) {
      verdicts.push(verdict({ what: `release Secret size, ${chart}`, maxRatio: 1 }, so, su, fmt.kib));
      if (so > SECRET_LIMIT) verdicts.push({ met: false, ratio: so / SECRET_LIMIT, line: `MISS release Secret ${chart}: ${fmt.kib(so)} is over Kubernetes' 1 MiB Secret limit` });
    }
    if (ro !== undefined && ru !== undefined) verdicts.push(verdict({ what: `rendered manifest bytes, ${chart}`, maxRatio: 1 }, ro, ru, fmt.kib));
  }
  const text = ["Helm's stored release (Secret data: base64 of the gzipped release, which carries the chart and its rendered manifest) and helm template output, default values", table(rows)].join('\n');
  return { title: 'Release size', text, verdicts };
}
