/** Where the CLI finds what it installs: the generated charts beside the sources (and, packed, beside the package). */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { CHARTS_DIR } from '../operator/render';
import type { ChartName } from '../profiles';

export { CHARTS_DIR };
export const PACKAGE_DIR = join(__dirname, '..', '..');

export function chartDir(chart: ChartName): string {
  const dir = join(CHARTS_DIR, chart);
  if (!existsSync(join(dir, 'Chart.yaml'))) throw new Error(`chart ${chart} is not part of this version of istio-charts (no ${dir})`);
  return dir;
}

/** The charts this copy has (all five in a release; fewer in a partial checkout). */
export function availableCharts(): ChartName[] {
  return (['base', 'istiod', 'gateway', 'cni', 'ztunnel'] as ChartName[]).filter((c) => existsSync(join(CHARTS_DIR, c, 'Chart.yaml')));
}

/** A chart's own defaults (its values.yaml). */
export function chartDefaults(chart: ChartName): Record<string, unknown> {
  return (YAML.parse(readFileSync(join(chartDir(chart), 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}
