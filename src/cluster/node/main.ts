/**
 * The local node as a process of its own, as a kubelet is: the node agent, the cluster's
 * services (kube-proxy rules, DNS, load balancer) and the scheduler extender, started by
 * cluster.ts with a JSON config as the only argument. Being its own process keeps pods running
 * and probed while the process that started it blocks (a test waiting on `helm --wait`).
 *
 * It starts the node's kubelet API (kubelet-api.ts: exec, logs, port-forward on the node's
 * InternalIP, port 10250) and answers it, and tests, on a private API on the host end of the
 * node's link: what a container is (`/container`: namespace, launch prefix, log files) and the
 * pods it runs (`/pod`: network namespace, container PIDs). It stops every pod and exits on
 * SIGTERM, or when its stdin closes because its parent died.
 */
import * as http from 'http';
import { appendFileSync, readFileSync } from 'fs';
import { join } from 'path';
import { kubeClients } from '../kube';
import { Netns } from '../network';
import { SchedulerExtender } from '../scheduler-extender';
import { ClusterDns } from '../services/dns';
import { KubeProxy } from '../services/kube-proxy';
import { LoadBalancer } from '../services/load-balancer';
import { ServiceWatch } from '../services/service-watch';
import { LocalProcess } from '../processes';
import { NodeAgent } from './agent';
import { ensureMountpoints } from './container';
import { KUBELET_PORT, KubeletApiError } from './kubelet-api';

/** The kubelet API in the node's namespace, on its address and the kwok node's; ready once it listens. */
async function startKubeletApi(config: NodeConfig, log: (m: string) => void): Promise<LocalProcess> {
  const k = config.kubeletApi;
  const logFile = join(config.dir, 'kubelet-api.log');
  const p = LocalProcess.start({
    name: 'kubelet-api',
    command: k.binary,
    args: [
      `--listen=${config.netns.address}:${KUBELET_PORT}=${config.nodeName}`,
      ...config.kwokNodes.map((n) => `--listen=${k.kwokNodeAddress}:${KUBELET_PORT}=${n}`),
      `--kubeconfig=${config.kubeconfig}`,
      `--client-ca-file=${k.clientCa}`,
      `--tls-cert-file=${k.cert}`,
      `--tls-private-key-file=${k.key}`,
      `--agent=http://${config.netns.hostAddress}:${config.apiPort}`,
    ],
    netns: config.netns.name,
    cwd: config.dir,
    env: process.env,
    logFile,
  });
  for (const started = Date.now(); !readFileSync(logFile, 'utf8').includes('ready'); ) {
    p.assertRunning();
    if (Date.now() - started > 30_000) throw new Error(`the kubelet API did not start in 30 s:\n${p.logTail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`kubelet API on ${config.netns.address}:${KUBELET_PORT}`);
  return p;
}

export interface NodeConfig {
  readonly kubeconfig: string;
  readonly netns: Netns;
  readonly nodeName: string;
  readonly kwokNodes: string[];
  readonly kubeletVersion: string;
  readonly dir: string;
  readonly logFile: string;
  readonly apiPort: number;
  readonly extenderPort: number;
  /** The kubelet API program (built by the parent: the node never runs go) and its credentials. */
  readonly kubeletApi: { readonly binary: string; readonly cert: string; readonly key: string; readonly clientCa: string; readonly kwokNodeAddress: string };
  /** The CPU the node advertises (NodeAgentOptions.cpu). */
  readonly cpu?: string;
}

async function main(config: NodeConfig): Promise<void> {
  const log = (m: string) => appendFileSync(config.logFile, `${new Date().toISOString()} ${m}\n`);
  ensureMountpoints();
  const clients = kubeClients(config.kubeconfig);
  const services = new ServiceWatch(clients, log);
  await services.start();
  new KubeProxy(config.netns.name, services, log).start();
  const dns = new ClusterDns(config.netns.hostAddress, services);
  await dns.start();
  new LoadBalancer(clients, services, config.netns.plan.loadBalancerAddresses, log).start();
  const node = new NodeAgent({ clients, netns: config.netns, nodeName: config.nodeName, kubeletVersion: config.kubeletVersion, dir: config.dir, dnsServer: config.netns.hostAddress, log, cpu: config.cpu });
  await node.start();
  const extender = new SchedulerExtender(config.netns.hostAddress, config.extenderPort, { realNodes: new Set([config.nodeName]), simulatedNodes: new Set(config.kwokNodes) });
  await extender.start();

  const api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://node');
        let result: unknown;
        if (req.method === 'GET' && url.pathname === '/container') {
          const q = (k: string) => url.searchParams.get(k) ?? '';
          result = await node.containerView(q('namespace'), q('pod'), q('container'), q('previous') === '1');
        } else if (req.method === 'GET' && url.pathname === '/pod') {
          const runner = node.runner(url.searchParams.get('namespace') ?? '', url.searchParams.get('name') ?? '');
          result = runner ? { netns: runner.netns, podIP: runner.podIP, processes: runner.processes(), cni: runner.cni } : null;
        } else {
          res.statusCode = 404;
          result = { error: `no ${req.method} ${url.pathname}` };
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      } catch (e) {
        res.statusCode = e instanceof KubeletApiError ? e.status : 500;
        res.end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(config.apiPort, config.netns.hostAddress, resolve));
  const kubeletApi = await startKubeletApi(config, log);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    api.close();
    await kubeletApi.stop(2000);
    await node.stop().catch((e) => log(`stopping pods: ${e.message}`));
    await extender.stop();
    dns.stop();
    await services.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.stdout.write('ready\n');
}

main(JSON.parse(process.argv[2])).catch((e) => {
  process.stderr.write(`node failed to start: ${(e as Error).stack}\n`);
  process.exit(1);
});
