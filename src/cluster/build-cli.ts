/** Build (or find) the control-plane binaries and show what they are: `npx ts-node src/cluster/build-cli.ts`. */
import { spawnSync } from 'child_process';
import { ensureControlPlaneBinaries } from './binaries';

function main(): void {
  const bins = ensureControlPlaneBinaries();
  // istio's commands have a `version` subcommand instead of a --version flag
  const rows: Array<[string, string, string[]]> = [
    ['etcd', bins.etcd, ['--version']],
    ['kube-apiserver', bins.kubeApiserver, ['--version']],
    ['pilot-discovery', bins.pilotDiscovery, ['version']],
    ['istioctl', bins.istioctl, ['version', '--remote=false']],
  ];
  for (const [name, path, args] of rows) {
    const r = spawnSync(path, args, { encoding: 'utf8' });
    // drop istio's start-up log lines, keep the version text
    const out = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/^\d{4}\/\d\d\/\d\d /.test(l));
    console.log(`${name}: ${path}`);
    for (const line of out) console.log(`  ${line}`);
  }
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
