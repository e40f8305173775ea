/**
 * `npm run compile` (and prepack): the CLI as JavaScript in lib/, which bin/istio-charts.js
 * starts about a second faster than the TypeScript sources. tsc emits the modules, the data
 * files beside them are copied, and a stamp records when the compile began: in a checkout the
 * bin uses lib/ only while no source is newer than the stamp.
 */
import { execFileSync } from 'child_process';
import { utimesSync, writeFileSync } from 'fs';
import { join } from 'path';
import { copyLibAssets } from './lib-assets';

const ROOT = join(__dirname, '..', '..');

/** Compiles src/ into lib/ and stamps it; returns the seconds it took. */
export function compileLib(): number {
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const copied = copyLibAssets();
  const stamp = join(ROOT, 'lib', '.compiled');
  writeFileSync(stamp, '');
  // the compile's start, not its end: a source saved while tsc ran is newer, and lib/ is not used
  utimesSync(stamp, started / 1000, started / 1000);
  const seconds = (Date.now() - started) / 1000;
  // stderr: `npm pack --json` takes stdout for its own answer
  console.error(`compiled src/ into lib/ and copied ${copied.length} data files in ${seconds.toFixed(1)} s`);
  return seconds;
}

if (require.main === module) compileLib();
