/**
 * `npm start [-- --values my.yaml] [--once]`: the mesh from these charts on a local cluster,
 * with no cluster at hand. It builds or reuses the binaries, starts the cluster (control
 * plane, a node that runs pods as processes, kwok), installs the default profile (base,
 * istiod, the ingress gateway) through the same code path as `istio-charts install`, runs
 * two sample workloads with sidecars, sends a request across the mesh and one through the
 * ingress gateway, prints what each hop saw, runs the look-inside commands it suggests
 * (kubectl logs and exec, istioctl), then keeps running until Ctrl-C (or stops at once with
 * --once). `--values` files are passed on as install's `-f` (IstioOperator or chart values
 * files); a file's `spec.profile` chooses the profile.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { basename, resolve } from 'path';
import { LocalCluster } from '../cluster/cluster';
import { upstreamEnvoyOperatorFile, waitForIstiod } from '../cluster/istiod';
import { clientIdentities, httpbin, ingressRoute, sleep } from '../cluster/samples';
import { runnableImages } from '../cluster/images';
import { httpGet } from '../cluster/http';
import { kubectlBinary, helmBinary } from '../tools/helm';
import { buildForLocalCluster } from './builds';
import { install } from './install/install';
import { connect } from './kube';
import { isInputError, UsageError } from './errors';
import { checkedPlanFrom } from './inputs';

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
      if (!file || !existsSync(file)) throw new UsageError(`--values needs an existing file, got ${file ?? 'nothing'}`);
      values.push(resolve(file));
    } else throw new UsageError(`unknown argument ${a}; usage: npm start -- [--values my.yaml]... [--once]`);
  }
  return { values, once };
}

const INGRESS_HOST = 'httpbin.example.com';
const step = (msg: string) => console.log(`\n==> ${msg}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const files = [upstreamEnvoyOperatorFile(), ...options.values];
  // no --set profile: a flag would outrank a file's spec.profile, and the plan's default is default.
  // Checked before any build: a bad --values file stops here, not after the first run's builds
  const plan = await checkedPlanFrom({ filename: files, set: [] });
  step('Building or locating the binaries (the first run on a machine builds them)');
  const started = Date.now();
  await buildForLocalCluster();
  const cluster = await LocalCluster.start();
  const cp = cluster.cp;
  let exitCode = 0;
  try {
    console.log(`cluster ready after ${seconds(started)}: kube-apiserver ${cp.binaries.versions.kubernetes} at ${cp.server}, node local-node (pods as processes), kwok-node (simulated pods)`);
    step(`istio-charts install ${files.map((f) => `-f ${f}`).join(' ')} -y`);
    try {
      await install(connect({ kubeconfig: cp.kubeconfig }), plan, { renderer: 'simple', timeoutMs: 300_000 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${cluster.logTail()}`);
    }
    const istiod = await waitForIstiod(cp);
    console.log(`istiod is pod ${istiod.pod} at ${istiod.address}: CA secret created, webhooks patched, validation failing closed`);

    step('Two workloads with sidecars in namespace sample (istio-injection=enabled): httpbin and sleep');
    cp.apply(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample', labels: { 'istio-injection': 'enabled' } } }));
    const t = Date.now();
    cp.apply(`${httpbin({ namespace: 'sample' })}\n---\n${sleep({ namespace: 'sample' })}`);
    await cluster.waitForRollout('sample', 'httpbin');
    await cluster.waitForRollout('sample', 'sleep');
    console.log(`both Deployments available after ${seconds(t)}`);
    for (const pod of await cluster.runningPods('sample', 'app in (httpbin,sleep)')) {
      const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: any) => c.name).join(', ');
      console.log(`  pod ${pod.metadata.name} at ${pod.status.podIP}: ${containers}`);
    }

    step('sleep -> httpbin across the mesh: curl http://httpbin.sample:8000/headers');
    // sleep's sidecar learns httpbin's endpoints a moment after both pods are ready: until
    // then its Envoy answers 503 (no healthy upstream), so retry for up to 30 s
    let body = '';
    let code = '';
    let stderr = '';
    for (let i = 0; i < 60 && code !== '200'; i++) {
      if (i) await new Promise((res2) => setTimeout(res2, 500));
      const r = await cluster.exec('sample', 'app=sleep', 'sleep', ['curl', '-sS', '-w', '\n%{http_code}', 'http://httpbin.sample:8000/headers']);
      [body, code, stderr] = [r.stdout.slice(0, r.stdout.lastIndexOf('\n')), r.stdout.slice(r.stdout.lastIndexOf('\n') + 1), r.stderr];
    }
    if (code !== '200') throw new Error(`the request across the mesh failed: ${code} ${stderr}${body}`);
    const seen = clientIdentities(JSON.parse(body).headers);
    console.log(`  sleep's sidecar -> mutual TLS -> httpbin's sidecar -> httpbin: HTTP ${code}`);
    console.log(`  the server's sidecar verified the client as ${seen.uri} (itself: ${seen.by})`);
    if (!seen.uri?.endsWith('/ns/sample/sa/sleep')) throw new Error(`the server did not see sleep's identity: ${JSON.stringify(seen)}`);

    step(`Ingress: a Gateway and VirtualService for ${INGRESS_HOST}, and a request from this machine`);
    // the istioctl-style ingress gateway is labelled istio: ingressgateway
    cp.apply(ingressRoute({ namespace: 'sample', name: 'httpbin', host: INGRESS_HOST, service: 'httpbin', port: 8000, selector: { istio: 'ingressgateway' } }));
    const address = await cluster.loadBalancerAddress('istio-system', 'istio-ingressgateway');
    let status = 0;
    let ingressBody = '';
    for (let i = 0; i < 60 && status !== 200; i++) {
      ({ status, body: ingressBody } = await httpGet(`http://${address}/headers`, INGRESS_HOST));
      if (status !== 200) await new Promise((res2) => setTimeout(res2, 500));
    }
    if (status !== 200) throw new Error(`the ingress gateway at ${address} answered ${status}: ${ingressBody}`);
    const viaGateway = clientIdentities(JSON.parse(ingressBody).headers);
    console.log(`  curl -H 'Host: ${INGRESS_HOST}' http://${address}/headers -> istio-ingressgateway -> mutual TLS -> httpbin's sidecar: HTTP ${status}`);
    console.log(`  httpbin's sidecar verified the gateway as ${viaGateway.uri}`);

    step('Look inside, as on any cluster: logs, exec and the proxies\' config through the node\'s kubelet API');
    const sleepPod = (await cluster.runningPods('sample', 'app=sleep'))[0].metadata.name;
    const lookInside: Array<[string, string[]]> = [
      [kubectlBinary(), ['logs', '-n', 'sample', 'deploy/httpbin', '-c', 'istio-proxy', '--tail=2']],
      [kubectlBinary(), ['exec', '-n', 'sample', 'deploy/sleep', '-c', 'sleep', '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://httpbin.sample:8000/get']],
      [cp.binaries.istioctl, ['proxy-status']],
      [cp.binaries.istioctl, ['proxy-config', 'endpoints', `${sleepPod}.sample`, '--cluster', 'outbound|8000||httpbin.sample.svc.cluster.local']],
    ];
    for (const [bin, args] of lookInside) {
      console.log(`$ ${basename(bin)} ${args.map((a) => (/[|%\s]/.test(a) ? `'${a}'` : a)).join(' ')}`);
      const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, KUBECONFIG: cp.kubeconfig } });
      if (r.status !== 0) throw new Error(`${basename(bin)} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr || r.error?.message}`);
      for (const line of r.stdout.trimEnd().split('\n').slice(0, 6)) console.log(`  ${line.slice(0, 160)}`);
    }

    step('Done');
    console.log(`Use it from this machine (kubectl and istioctl are the ones above):`);
    console.log(`  export KUBECONFIG=${cp.kubeconfig}`);
    console.log(`  ${kubectlBinary()} get pods -A -o wide`);
    console.log(`  ${helmBinary('v4')} list -A`);
    console.log(`  ${cp.binaries.istioctl} proxy-status`);
    console.log(`  curl -H 'Host: ${INGRESS_HOST}' http://${address}/headers     # the ingress gateway`);
    console.log('The node runs these images for real (any other image is simulated on kwok-node):');
    for (const image of runnableImages()) console.log(`  */${image.names.join(', */')}: ${image.standIn}`);
    if (options.once) return;
    console.log('\nRunning; press Ctrl-C to stop and remove everything.');
    await new Promise<void>((res) => process.once('SIGINT', () => res()));
  } catch (e) {
    console.error(`\nerror: ${(e as Error).message}`);
    exitCode = 1;
  } finally {
    step('Stopping the cluster');
    await cluster.stop();
  }
  process.exitCode = exitCode;
}

main().catch((e) => {
  // bad input (a --values file's value) is one line per offending value and exit 2, as the CLI's
  for (const line of (isInputError(e) ? (e as Error).message.split('\n') : [(e as Error).message])) console.error(`error: ${line}`);
  process.exit(isInputError(e) ? 2 : 1);
});
