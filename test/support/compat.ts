/** Differential rendering: the same values through upstream's chart and ours. */
import { HelmOptions, identities, template } from './helm';
import { upstreamChart } from './upstream';

/** Labels that name the chart's own version, which differs by design. */
const VERSION_LABELS = ['helm.sh/chart', 'app.kubernetes.io/version'];

/** Deep copy with keys sorted and chart-version labels dropped wherever labels appear. */
export function canonical(value: any): any {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (k === 'labels' && value[k] && typeof value[k] === 'object') {
      out[k] = canonical(Object.fromEntries(Object.entries(value[k]).filter(([l]) => !VERSION_LABELS.includes(l))));
    } else out[k] = canonical(value[k]);
  }
  return out;
}

export interface Rendered {
  readonly ours: Map<string, any>;
  readonly theirs: Map<string, any>;
}

/** Render both charts with the same release, namespace and values; objects keyed by identity. */
export function renderBoth(chartName: 'base' | 'istiod' | 'gateway', oursPath: string, release: string, options: HelmOptions): Rendered {
  const byId = (objects: any[]) => new Map(objects.map((o) => [identities([o])[0], canonical(o)]));
  return {
    ours: byId(template('v4', oursPath, { release, ...options }).objects),
    theirs: byId(template('v4', upstreamChart(chartName), { release, ...options }).objects),
  };
}

/** Is every key of `subset` present in `superset` with an equal value (recursively)? Lists must be equal. */
export function missingFrom(superset: any, subset: any, path = ''): string[] {
  if (subset === null || typeof subset !== 'object' || Array.isArray(subset)) {
    return JSON.stringify(superset) === JSON.stringify(subset) ? [] : [`${path || '.'}: ours ${JSON.stringify(superset)}, upstream ${JSON.stringify(subset)}`];
  }
  if (superset === null || typeof superset !== 'object') return [`${path}: missing`];
  return Object.keys(subset).flatMap((k) => missingFrom(superset[k], subset[k], `${path}.${k}`));
}
