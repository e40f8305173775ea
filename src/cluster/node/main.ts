/**
 * The local node as a process of its own, as a kubelet is: the node agent, the cluster's
 * services (kube-proxy rules, DNS, load balancer) and the scheduler extender, started by
 * cluster.ts with a JSON config as the only argument. Being its own process keeps pods running
 * and probed while the process that started it blocks (a test waiting on `helm --wait`).
 *
 * It answers a small API on the host end of the node's link, like the kubelet's port 10250:
 * exec into a container, and the pods it runs (network namespace, container PIDs). It stops
 * every pod and exits on SIGTERM, or when its stdin closes because its parent died.
 */
import * as http from 'http';
import { appendFileSync } from 'fs';
import { kubeClients } from '../kube';
import { Netns } from '../network';
import { SchedulerExtender } from '../scheduler-extender';
import { ClusterDns } from '../services/dns';
import { KubeProxy } from '../services/kube-proxy';
import { LoadBalancer } from '../services/load-balancer';
import { ServiceWatch } from '../services/service-watch';
import { NodeAgent } from './agent';
import { ensureMountpoints } from './container';

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
  const node = new NodeAgent({ clients, netns: config.netns, nodeName: config.nodeName, kubeletVersion: config.kubeletVersion, dir: config.dir, dnsServer: config.netns.hostAddress, log });
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
        if (req.method === 'POST' && url.pathname === '/exec') {
          const { namespace, pod, container, argv, timeoutMs } = JSON.parse(body);
          const runner = node.runner(namespace, pod);
          if (!runner) throw new Error(`pod ${namespace}/${pod} does not run on ${config.nodeName}`);
          result = await runner.exec(container, argv, timeoutMs);
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
        res.statusCode = 500;
        res.end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(config.apiPort, config.netns.hostAddress, resolve));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    api.close();
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
