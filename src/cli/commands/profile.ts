/**
 * `istio-charts profile list | dump | diff`: the profiles istioctl's docs still teach
 * (`istioctl profile list` was removed upstream), read from the typed data in src/profiles.
 */
import { Command } from 'commander';
import {
  COMPONENT_CHART, COMBINED_PROFILES, ChartName, Component, PROFILE_ALIASES, PROFILE_LIST, profileComponents, resolveProfile,
} from '../../profiles';
import { UsageError } from '../errors';
import { availableCharts, chartDefaults } from '../paths';
import { deepMerge } from '../../operator/errors';
import { diffPaths, formatDocument, parseFormat, short, table } from '../output';

function resolve(name: string) {
  try {
    return resolveProfile(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The charts a profile installs, in install order. */
export function profileCharts(components: readonly Component[]): ChartName[] {
  const charts = [...new Set(components.map((c) => COMPONENT_CHART[c]))];
  return availableCharts().filter((c) => charts.includes(c));
}

/** A profile's effective values per chart: the chart defaults with the profile (and its platform) laid over them. */
export function profileValues(name: string, opts: { overlayOnly?: boolean } = {}): Record<string, Record<string, unknown>> {
  const { profile, platform } = resolve(name);
  const out: Record<string, Record<string, unknown>> = {};
  for (const chart of profileCharts(profileComponents(profile, platform))) {
    const overlay = deepMerge(profile.values[chart] ?? {}, platform?.values[chart] ?? {}) as Record<string, unknown>;
    out[chart] = (opts.overlayOnly ? overlay : deepMerge(chartDefaults(chart), overlay)) as Record<string, unknown>;
  }
  return out;
}

function componentsOf(name: string): string {
  const { profile, platform } = resolve(name);
  const components = profileComponents(profile, platform);
  return components.length ? components.join(', ') : '(none)';
}

export function profileCommand(): Command {
  const cmd = new Command('profile').description('List, show and compare the installation profiles');

  cmd
    .command('list')
    .description('Every profile with its description and the components it installs')
    .action(() => {
      const rows = PROFILE_LIST.map((p) => [p.name, componentsOf(p.name), p.description]);
      for (const [alias, target] of Object.entries(PROFILE_ALIASES)) rows.push([alias, componentsOf(target), `Another name for ${target}.`]);
      for (const [name, c] of Object.entries(COMBINED_PROFILES)) rows.push([name, componentsOf(name), `The ${c.profile} profile on the ${c.platform} platform.`]);
      process.stdout.write(table(['PROFILE', 'COMPONENTS', 'DESCRIPTION'], rows));
    });

  cmd
    .command('dump <profile>')
    .description("A profile's values for each chart it installs (chart defaults included unless --overlay-only)")
    .option('--chart <chart>', 'only this chart (base, istiod, gateway, ...)')
    .option('--overlay-only', 'only what the profile changes, as in values/<profile>/<chart>.yaml')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action((name: string, opts: { chart?: string; overlayOnly?: boolean; output: string }) => {
      const format = parseFormat(opts.output);
      const values = profileValues(name, { overlayOnly: opts.overlayOnly });
      if (opts.chart) {
        if (!(opts.chart in values)) {
          throw new UsageError(`--chart ${opts.chart}: profile "${name}" installs ${Object.keys(values).join(', ') || 'no chart'}`);
        }
        process.stdout.write(formatDocument(values[opts.chart], format));
      } else {
        process.stdout.write(formatDocument(values, format));
      }
    });

  cmd
    .command('diff <a> <b>')
    .description('What changes between two profiles: components, then values per chart')
    .action((a: string, b: string) => {
      const out: string[] = [];
      const ca = componentsOf(a);
      const cb = componentsOf(b);
      if (ca !== cb) out.push(`components: ${ca} -> ${cb}`);
      const va = profileValues(a);
      const vb = profileValues(b);
      for (const chart of [...new Set([...Object.keys(va), ...Object.keys(vb)])]) {
        if (!(chart in va)) out.push(`${chart}: installed only by ${b}`);
        else if (!(chart in vb)) out.push(`${chart}: installed only by ${a}`);
        else for (const [path, x, y] of diffPaths(va[chart], vb[chart])) out.push(`${chart}: ${path}: ${short(x)} -> ${short(y)}`);
      }
      process.stdout.write(out.length ? out.join('\n') + '\n' : `profiles ${a} and ${b} are the same\n`);
    });
  return cmd;
}
