/**
 * `npm start [-- --values my.yaml] [--once]`: Istio from these charts on a real control plane
 * with no cluster at hand. Builds or reuses the binaries, starts etcd and kube-apiserver,
 * installs base, istiod and gateway with helm, starts istiod from the installed Deployment,
 * injects a sample workload (server-side dry run: there is no kubelet to run pods), prints what
 * happened and how to use the cluster, then runs until Ctrl-C (or stops at once with --once).
 */
import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { ControlPlane } from '../cluster/control-plane';
import { startIstiod } from '../cluster/istiod';
import { ALL_CHARTS } from '../charts';
import { helmBinary, kubectlBinary } from '../tools/helm';

interface Options {
  readonly values: string[];
  readonly once: boolean;
}

function parseArgs(argv: string[]): Options {
  const values: string[] = [];
  let once = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--once') once = true;
    else if (a === '--values' || a === '-f') {
      const file = argv[++i];
      if (!file || !existsSync(file)) throw new Error(`--values needs an existing file, got ${file ?? 'nothing'}`);
      values.push(resolve(file));
    } else throw new Error(`unknown argument ${a}; usage: npm start -- [--values my.yaml]... [--once]`);
  }
  return { values, once };
}

const CHARTS = join(__dirname, '..', '..', 'charts');
const step = (msg: string) => console.log(`\n==> ${msg}`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  step('Building or locating etcd, kube-apiserver, istiod and helm (first run only builds)');
  const started = Date.now();
  const cp = await ControlPlane.start();
  let exitCode = 0;
  try {
    console.log(`kube-apiserver ${cp.binaries.versions.kubernetes} ready at ${cp.server} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const valuesArgs = options.values.flatMap((v) => ['-f', v]);
    const install = (release: string, chart: string, namespace: string) => {
      step(`helm install ${release} ./charts/${chart} -n ${namespace}`);
      const r = cp.helm(['install', release, join(CHARTS, chart), '-n', namespace, '--create-namespace', ...(chart === 'istiod' ? valuesArgs : [])]);
      if (r.status !== 0) throw new Error(`helm install ${release} failed:\n${r.stderr}`);
      console.log(r.stdout.split('\n').filter((l) => /^(NAME|STATUS|REVISION):/.test(l)).join('\n'));
    };
    install('istio-base', 'base', 'istio-system');
    install('istiod', 'istiod', 'istio-system');

    step('Starting istiod from the installed Deployment');
    const istiod = await startIstiod(cp);
    console.log(`istiod serving at ${istiod.address}: CA secret created, webhooks patched, validation failing closed`);

    if (ALL_CHARTS.some((c) => c.name === 'gateway')) install('istio-ingress', 'gateway', 'istio-ingress');

    step('Injecting a sample workload in a namespace labelled istio-injection=enabled');
    await cp.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample', labels: { 'istio-injection': 'enabled' } } });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'httpbin', namespace: 'sample', labels: { app: 'httpbin' } },
      // the ServiceAccount admission plugin would set this; this control plane runs without it
      spec: { serviceAccountName: 'default', containers: [{ name: 'httpbin', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', ports: [{ containerPort: 8080 }] }] },
    };
    const r = await cp.api('POST', '/api/v1/namespaces/sample/pods?dryRun=All', pod);
    if (r.status !== 201) throw new Error(`injection failed: ${r.body?.message ?? JSON.stringify(r.body)}`);
    const injected = r.body;
    const all = [...(injected.spec.initContainers ?? []), ...injected.spec.containers];
    for (const c of all) console.log(`  ${injected.spec.initContainers?.includes(c) ? 'init ' : ''}container ${c.name}: ${c.image}`);
    const status = injected.metadata.annotations?.['sidecar.istio.io/status'];
    console.log(`  sidecar.istio.io/status: ${status}`);
    if (!all.some((c: any) => c.name === 'istio-proxy')) throw new Error('the sample pod was not injected');

    step('Done');
    console.log(`Use it from this machine (the apiserver lives in network namespace ${cp.netns.name}):`);
    console.log(`  export KUBECONFIG=${cp.kubeconfig}`);
    console.log(`  ${kubectlBinary()} get mutatingwebhookconfigurations`);
    console.log(`  ${helmBinary('v3')} list -A`);
    if (options.once) return;
    console.log('\nRunning; press Ctrl-C to stop and remove everything.');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } catch (e) {
    console.error(`\nerror: ${(e as Error).message}`);
    exitCode = 1;
  } finally {
    step('Stopping the control plane');
    await cp.stop();
  }
  process.exitCode = exitCode;
}

main().catch((e) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
