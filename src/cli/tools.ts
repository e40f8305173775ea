/**
 * `npm run tools -- ensure`: fetch or build every binary the tests use (helm v4 and v3,
 * etcd, the Kubernetes components, kwok, the node's kubelet API, istiod, istioctl, the CLI's
 * offline injector, the OCI registry, the programs the local node runs for the images it
 * supports (the cni node agent's included), and the manifest scanners kube-score and checkov)
 * and say what they are. The first run on a machine builds what is missing from the Go module
 * proxy and PyPI, two at a time (builds.ts); later runs find them cached.
 */
import { spawnSync } from 'child_process';
import { ensureControlPlaneBinaries } from '../cluster/binaries';
import { buildForLocalCluster } from './builds';
import { envoyBootstrapTemplate, goHttpbin, istioCniBinaries, istioDataPlaneBinaries } from '../cluster/images';
import { kubeletApiBinary } from '../cluster/node/kubelet-api';
import { envoyBinary } from '../tools/envoy';
import { offlineInjector } from './inject/offline';
import { helmBinary, kubectlBinary } from '../tools/helm';
import { registryBinary } from '../tools/registry';
import { checkovCommand, kubeScoreBinary } from '../tools/scanners';

/** First meaningful line a binary prints about its version (istio tools log before they answer). */
function versionOf(path: string, args: string[]): string {
  const r = spawnSync(path, args, { encoding: 'utf8' });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/^\d{4}[/-]\d\d[/-]\d\d/.test(l));
  return lines[0]?.trim() ?? `(no output, exit ${r.status})`;
}

async function ensure(): Promise<void> {
  await buildForLocalCluster(true);
  const bins = ensureControlPlaneBinaries();
  const dataPlane = istioDataPlaneBinaries();
  const cni = istioCniBinaries();
  envoyBootstrapTemplate();
  const rows: Array<[string, string, string[]]> = [
    ['helm v4', helmBinary('v4'), ['version', '--short']],
    ['helm v3', helmBinary('v3'), ['version', '--short']],
    ['kubectl', kubectlBinary(), ['version', '--client']],
    ['etcd', bins.etcd, ['--version']],
    ['kube-apiserver', bins.kubeApiserver, ['--version']],
    ['kube-controller-manager', bins.kubeControllerManager, ['--version']],
    ['kube-scheduler', bins.kubeScheduler, ['--version']],
    ['kwok', bins.kwok, ['--version']],
    // the node's kubelet API; it answers a bare call by saying it has nowhere to listen
    ['kubelet-api', kubeletApiBinary(), []],
    ['pilot-agent', dataPlane.pilotAgent, ['version', '-s']],
    ['envoy', envoyBinary(), ['--version']],
    ['install-cni', cni.installCni, ['version', '-s']],
    ['istio-cni plugin', cni.plugin, ['version', '-s']],
    ['go-httpbin', goHttpbin(undefined), ['-h']],
    ['echo server', dataPlane.echoServer, ['--help']],
    ['pilot-discovery', bins.pilotDiscovery, ['version', '-s']],
    ['istioctl', bins.istioctl, ['version', '--remote=false', '-s']],
    // kube-inject --offline's injector; it answers a bare call with its usage
    ['inject-offline', offlineInjector(), []],
    // the OCI registry the release tests push the packaged charts to
    ['distribution registry', registryBinary(), ['--version']],
    ['kube-score', kubeScoreBinary(), ['version']],
  ];
  for (const [name, path, args] of rows) console.log(`${name.padEnd(24)} ${versionOf(path, args).slice(0, 40).padEnd(40)} ${path}`);
  const checkov = checkovCommand();
  console.log(`${'checkov'.padEnd(24)} ${versionOf(checkov.command, [...checkov.args, '--version']).slice(0, 40).padEnd(40)} ${checkov.command} ${checkov.args.join(' ')}`);
}

const [command] = process.argv.slice(2);
if (command === 'ensure') {
  ensure().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
} else {
  console.error('usage: npm run tools -- ensure');
  process.exit(2);
}
