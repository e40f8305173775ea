/**
 * `values/<profile>/<chart>.yaml` (and `values/platform-<p>/`, `values/compatibility-<v>/`):
 * what each profile, platform and compatibility version sets in a chart, as a values file to
 * read, copy and change. `-f values/demo/istiod.yaml` renders what `--set profile=demo` does;
 * the chart applies the same data itself from its files/profile-*.yaml.
 */
import * as YAML from 'yaml';
import { ChartName, Overlay, Profile, Values, chartOverlays, profileInstallsChart } from '.';

/** How each chart is installed in the README and in the files' usage line. */
const INSTALL: Partial<Record<ChartName, string>> = {
  base: 'helm install istio-base ./charts/base -n istio-system --create-namespace',
  istiod: 'helm install istiod ./charts/istiod -n istio-system',
  cni: 'helm install istio-cni ./charts/cni -n istio-cni --create-namespace',
  ztunnel: 'helm install ztunnel ./charts/ztunnel -n istio-ztunnel --create-namespace',
  gateway: 'helm install istio-ingress ./charts/gateway -n istio-ingress --create-namespace',
};

const yaml11 = (v: unknown) => YAML.stringify(v, { version: '1.1', lineWidth: 0 });

function file(chart: ChartName, path: string, title: string, description: string, selector: string, body: Values, note: string[] = []): string {
  const header = [
    `${title}, ${chart} chart. ${description}`,
    'Generated from src/profiles/index.ts by npm run synth; do not edit (copy it and edit the copy).',
    `These are the values \`--set ${selector}\` applies to the ${chart} chart, as a values file:`,
    '',
    `  ${INSTALL[chart] ?? `helm install ${chart} ./charts/${chart}`} -f values/${path}`,
    '',
    'Values files and --set flags given after it win over it.',
    ...note,
  ];
  return `${header.map((l) => (l ? `# ${l}` : '#')).join('\n')}\n${yaml11(body)}`;
}

/** Every generated values file, by its path under values/, for the given charts. */
export function valuesFiles(charts: readonly ChartName[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of charts) {
    const { profiles, platforms, compatibilityVersions } = chartOverlays(chart);
    for (const [p, v] of profiles.filter(([p]: [Profile, Values]) => profileInstallsChart(p, chart))) {
      const path = `${p.name}/${chart}.yaml`;
      files.set(path, file(chart, path, `Profile ${p.name}`, p.description, `profile=${p.name}`, v));
    }
    for (const [c, v] of compatibilityVersions) {
      const path = `compatibility-${c.name}/${chart}.yaml`;
      files.set(path, file(chart, path, `Compatibility version ${c.name}`, c.description, `compatibilityVersion=${c.name}`, v));
    }
    for (const [p, v] of platforms as ReadonlyArray<[Overlay, Values]>) {
      const path = `platform-${p.name}/${chart}.yaml`;
      // istiod reads the platform's name itself (its PLATFORM setting and the injection
      // templates), so the file names it; naming it also applies these values under yours
      const note = ['It names the platform too, which istiod reads itself; so a line deleted here still comes', 'from the platform: change a value instead of deleting it.'];
      files.set(path, file(chart, path, `Platform ${p.name}`, p.description, `platform=${p.name}`, { platform: p.name, ...v }, note));
    }
  }
  return files;
}
