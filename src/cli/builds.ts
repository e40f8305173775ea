/**
 * Every binary this project builds or fetches, as jobs for the parallel builder: what
 * `npm start` needs, and the rest that `npm run tools -- ensure` adds for the tests. The
 * builder's child processes load this file and build one job each (buildOne).
 */
import { join } from 'path';
import { etcd, istioBinaries, kubeComponent, kwok } from '../cluster/binaries';
import { gatewayConformanceBinaries } from '../cluster/gateway-conformance';
import { goHttpbin, istioCniBinaries, istioDataPlaneBinaries } from '../cluster/images';
import { kubeletApiBinary } from '../cluster/node/kubelet-api';
import { envoyBinary } from '../tools/envoy';
import { helmBinary } from '../tools/helm';
import { BuildJob, BuildTiming, buildMissing } from '../tools/parallel-build';
import { registryBinary } from '../tools/registry';
import { checkovCommand, kubeScoreBinary } from '../tools/scanners';
import { offlineInjector } from './inject/offline';

/**
 * In the order they are started. Two streams share no packages and run side by side: the
 * Kubernetes components with the kubelet API (k8s.io at the cluster's version), and etcd, then
 * Istio's commands with kwok (k8s.io at the version Istio pins).
 */
const LOCAL_CLUSTER: BuildJob[] = [
  { name: 'kube-apiserver', locate: () => kubeComponent('kube-apiserver') },
  { name: 'etcd', locate: () => etcd() },
  { name: 'envoy', locate: () => envoyBinary(), download: true },
  // built at the apiserver's version, from its packages
  { name: 'kube-controller-manager', locate: () => kubeComponent('kube-controller-manager'), after: ['kube-apiserver'] },
  { name: 'istio', locate: () => istioBinaries(), after: ['etcd'] },
  { name: 'kube-scheduler', locate: () => kubeComponent('kube-scheduler'), after: ['kube-controller-manager'] },
  { name: 'kubelet-api', locate: () => kubeletApiBinary(), after: ['kube-scheduler'] },
  { name: 'istio-dataplane', locate: () => istioDataPlaneBinaries(), after: ['istio'] },
  { name: 'kwok', locate: () => kwok(), after: ['istio-dataplane'] },
  { name: 'go-httpbin', locate: () => goHttpbin(undefined), after: ['kwok'] },
];

/** What the tests use beyond the local cluster of `npm start`. */
const TESTS_ONLY: BuildJob[] = [
  { name: 'istio-cni', locate: () => istioCniBinaries(), after: ['istio-dataplane'] },
  { name: 'inject-offline', locate: () => offlineInjector(), after: ['istio-cni'] },
  { name: 'helm-v3', locate: () => helmBinary('v3'), after: ['kubelet-api'] },
  { name: 'registry', locate: () => registryBinary(), after: ['helm-v3'] },
  { name: 'kube-score', locate: () => kubeScoreBinary(), after: ['registry'] },
  // the Gateway API conformance suite and its echo-basic backend (the CI part of npm run conformance)
  { name: 'gateway-conformance', locate: () => gatewayConformanceBinaries(), after: ['kube-score'] },
  { name: 'checkov', locate: () => checkovCommand(), download: true },
];

export const BUILD_JOBS = [...LOCAL_CLUSTER, ...TESTS_ONLY];

/** Builds one job in this process (what a child of the parallel builder runs). */
export function buildOne(name: string): void {
  const job = BUILD_JOBS.find((j) => j.name === name);
  if (!job) throw new Error(`unknown build job ${name}; jobs: ${BUILD_JOBS.map((j) => j.name).join(', ')}`);
  job.locate();
}

/** How a child process builds one job: with this file compiled, or through ts-node as the parent runs. */
function child(name: string): { command: string; args: string[] } {
  const project = JSON.stringify(join(__dirname, '..', '..', 'tsconfig.json'));
  const load = __filename.endsWith('.js') ? '' : `require('ts-node').register({ swc: true, project: ${project} });`;
  return { command: process.execPath, args: ['-e', `${load} require(${JSON.stringify(__filename)}).buildOne(${JSON.stringify(name)})`] };
}

/** Builds what `npm start` needs (or, with `forTests`, everything), several at once. */
export function buildForLocalCluster(forTests = false): Promise<BuildTiming[]> {
  return buildMissing(forTests ? BUILD_JOBS : LOCAL_CLUSTER, { child });
}
