/**
 * `npm run conformance [-- --profiles GATEWAY-HTTP,... ] [--core]`: the Gateway API conformance
 * suite with Istio's configuration against our charts on a fresh local cluster. Prints each test
 * as it ends, then the table (ours beside Istio's published report), anything that does not
 * match, and, as its last line, the path of the suite's report. Exits 1 unless it matches.
 */
import { join } from 'path';
import { buildForLocalCluster } from '../../src/cli/builds';
import { istioConformanceConfig } from './istio-configuration';
import { runConformance } from './suite';
import { judge } from './verdict';

function parseArgs(argv: string[]): { profiles: string[]; coreOnly: boolean } {
  const all = istioConformanceConfig().profiles;
  let profiles = [...all];
  let coreOnly = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--core') coreOnly = true;
    else if (argv[i] === '--profiles') {
      profiles = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = profiles.filter((p) => !all.includes(p));
      if (unknown.length || profiles.length === 0) throw new UsageError(`--profiles: ${unknown.join(', ') || 'nothing given'} is not one of ${all.join(', ')}`);
    } else throw new UsageError(`unknown argument ${argv[i]}; usage: npm run conformance -- [--profiles ${all.join(',')}] [--core]`);
  }
  return { profiles, coreOnly };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { profiles, coreOnly } = parseArgs(process.argv.slice(2));
  await buildForLocalCluster();
  const outDir = join(__dirname, '..', '..', '.conformance', new Date().toISOString().replace(/[:.]/g, '-'));
  const result = await runConformance({ profiles, coreOnly, wholeRange: true, outDir, log: (l) => console.log(l) });
  const verdict = judge(result, { coreOnly, complete: !coreOnly && profiles.length === istioConformanceConfig().profiles.length });
  const failed = result.tests.filter((t) => t.outcome === 'fail').length;
  console.log(`\n${result.tests.length} tests: ${result.tests.filter((t) => t.outcome === 'pass').length} passed, ${failed} failed, ${result.tests.filter((t) => t.outcome === 'skip').length} skipped`);
  console.log(`run time ${Math.floor(result.seconds / 60)} min ${result.seconds % 60} s; peak memory in use above the machine's baseline ${(result.peakMemoryMiB / 1024).toFixed(1)} GiB\n`);
  console.log(verdict.table);
  if (verdict.problems.length) console.log(`\nnot as Istio's published result:\n${verdict.problems.map((p) => `- ${p}`).join('\n')}`);
  console.log(`\n${result.reportPath}`);
  return verdict.problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${e instanceof Error ? e.message : e}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
