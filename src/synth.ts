/**
 * `npm run synth [-- <chartsdir> [<valuesdir>]]`: writes charts/<name>/ for every chart
 * (default: ./charts) and the profile values files values/<profile>/<chart>.yaml (default:
 * ./values). Each chart directory, and each generated directory under values/, is replaced as a
 * whole, so files no longer generated disappear; files directly under values/ (the hand-written
 * examples, such as egress-gateway.yaml) are left alone.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ALL_CHARTS } from './charts';
import { renderChart } from './charts/chart-definition';
import { ChartName } from './profiles';
import { valuesFiles } from './profiles/values-files';

function write(dir: string, files: Iterable<[string, string]>, written: string[]): void {
  for (const [rel, content] of files) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
}

/** Writes the charts under `outdir`; returns the files written. */
export function synth(outdir: string): string[] {
  const written: string[] = [];
  for (const def of ALL_CHARTS) {
    const dir = join(outdir, def.name);
    rmSync(dir, { recursive: true, force: true });
    write(dir, renderChart(def), written);
  }
  return written;
}

/** Every generated values file, by its path under values/. */
export function generatedValues(): Map<string, string> {
  return valuesFiles(ALL_CHARTS.map((c) => c.name as ChartName));
}

/** Writes the generated values files under `outdir`, replacing its subdirectories; returns the files written. */
export function synthValues(outdir: string): string[] {
  if (existsSync(outdir)) {
    for (const e of readdirSync(outdir)) {
      if (statSync(join(outdir, e)).isDirectory()) rmSync(join(outdir, e), { recursive: true, force: true });
    }
  }
  const written: string[] = [];
  write(outdir, generatedValues(), written);
  return written;
}

if (require.main === module) {
  const root = join(__dirname, '..');
  const charts = resolve(process.argv[2] ?? join(root, 'charts'));
  const values = resolve(process.argv[3] ?? join(root, 'values'));
  console.log(`wrote ${synth(charts).length} files under ${charts}`);
  console.log(`wrote ${synthValues(values).length} files under ${values}`);
}
