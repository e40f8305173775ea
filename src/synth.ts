/**
 * `npm run synth [-- <outdir>]`: writes charts/<name>/ for every chart (default: ./charts).
 * Each chart directory is replaced as a whole, so files a chart no longer has disappear.
 */
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ALL_CHARTS } from './charts';
import { renderChart } from './charts/chart-definition';

export function synth(outdir: string): string[] {
  const written: string[] = [];
  for (const def of ALL_CHARTS) {
    const dir = join(outdir, def.name);
    rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of renderChart(def)) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      written.push(path);
    }
  }
  return written;
}

if (require.main === module) {
  const outdir = resolve(process.argv[2] ?? join(__dirname, '..', 'charts'));
  const files = synth(outdir);
  console.log(`wrote ${files.length} files under ${outdir}`);
}
