/**
 * `npm run tools -- ensure`: fetch or build every binary the tests use (helm v4 and v3,
 * etcd, kube-apiserver, pilot-discovery, istioctl) and say what they are. The first run on a
 * machine builds from the Go module proxy (several minutes); later runs find them cached.
 */
import { spawnSync } from 'child_process';
import { ensureControlPlaneBinaries } from '../cluster/binaries';
import { helmBinary, kubectlBinary } from '../tools/helm';

/** First meaningful line a binary prints about its version (istio tools log before they answer). */
function versionOf(path: string, args: string[]): string {
  const r = spawnSync(path, args, { encoding: 'utf8' });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/^\d{4}[/-]\d\d[/-]\d\d/.test(l));
  return lines[0]?.trim() ?? `(no output, exit ${r.status})`;
}

function ensure(): void {
  const bins = ensureControlPlaneBinaries();
  const rows: Array<[string, string, string[]]> = [
    ['helm v4', helmBinary('v4'), ['version', '--short']],
    ['helm v3', helmBinary('v3'), ['version', '--short']],
    ['kubectl', kubectlBinary(), ['version', '--client']],
    ['etcd', bins.etcd, ['--version']],
    ['kube-apiserver', bins.kubeApiserver, ['--version']],
    ['pilot-discovery', bins.pilotDiscovery, ['version', '-s']],
    ['istioctl', bins.istioctl, ['version', '--remote=false', '-s']],
  ];
  for (const [name, path, args] of rows) console.log(`${name.padEnd(16)} ${versionOf(path, args).padEnd(28)} ${path}`);
}

const [command] = process.argv.slice(2);
if (command === 'ensure') {
  try {
    ensure();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
} else {
  console.error('usage: npm run tools -- ensure');
  process.exit(2);
}
