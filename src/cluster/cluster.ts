/**
 * A whole local cluster: the control plane (control-plane.ts), one node that runs pods as
 * processes (node/agent.ts), a kwok node for pods it cannot run (kwok.ts), and the
 * cluster's services: kube-proxy's NAT rules, cluster DNS and a load balancer
 * (services/). The scheduler places each pod through the extender (scheduler-extender.ts).
 * Everything is stopped by PID and every namespace removed on stop, or on exit if the
 * process dies first.
 */
import { ControlPlane, waitFor } from './control-plane';
import { KubeClients, kubeClients } from './kube';
import { startKwok } from './kwok';
import { NodeAgent } from './node/agent';
import { ensureSecretsMountpoint } from './node/container';
import { LocalProcess } from './processes';
import { SchedulerExtender } from './scheduler-extender';
import { ClusterDns } from './services/dns';
import { KubeProxy } from './services/kube-proxy';
import { LoadBalancer } from './services/load-balancer';
import { ServiceWatch } from './services/service-watch';
import { appendFileSync, existsSync, readFileSync } from 'fs';
import { join } from 'path';

export const LOCAL_NODE = 'local-node';
export const KWOK_NODE = 'kwok-node';
const EXTENDER_PORT = 10300;

export class LocalCluster {
  private constructor(
    readonly cp: ControlPlane,
    readonly clients: KubeClients,
    readonly node: NodeAgent,
    readonly services: ServiceWatch,
    readonly dns: ClusterDns,
    readonly loadBalancer: LoadBalancer,
    private readonly extender: SchedulerExtender,
    /** kwok's process (stopped with the control plane's processes). */
    readonly kwok: LocalProcess,
  ) {}

  static async start(): Promise<LocalCluster> {
    const cp = await ControlPlane.start();
    const log = (m: string) => appendFileSync(join(cp.dir, 'cluster.log'), `${new Date().toISOString()} ${m}\n`);
    try {
      ensureSecretsMountpoint();
      const clients = kubeClients(cp.kubeconfig);
      await cp.startControllerManager();
      const services = new ServiceWatch(clients);
      await services.start();
      new KubeProxy(cp.netns.name, services, log).start();
      const dns = new ClusterDns(cp.netns.hostAddress, services);
      await dns.start();
      const loadBalancer = new LoadBalancer(clients, services, cp.netns.plan.loadBalancerAddresses, log);
      loadBalancer.start();
      const node = new NodeAgent({ clients, netns: cp.netns, nodeName: LOCAL_NODE, kubeletVersion: cp.binaries.versions.kubernetes, dir: cp.dir, dnsServer: cp.netns.hostAddress, log });
      await node.start();
      const kwok = await startKwok(cp, clients, KWOK_NODE);
      const extender = new SchedulerExtender(cp.netns.hostAddress, EXTENDER_PORT, { realNodes: new Set([LOCAL_NODE]), simulatedNodes: new Set([KWOK_NODE]) });
      await extender.start();
      await cp.startScheduler(extender.url);
      const cluster = new LocalCluster(cp, clients, node, services, dns, loadBalancer, extender, kwok);
      cp.beforeStop(() => cluster.stopAgents());
      return cluster;
    } catch (e) {
      await cp.stop();
      throw e;
    }
  }

  /** Wait until a Deployment has rolled out: every replica updated and available. */
  async waitForRollout(namespace: string, name: string, timeoutMs = 120_000): Promise<void> {
    await waitFor(`Deployment ${namespace}/${name} rolled out`, timeoutMs, async () => {
      const d = await this.cp.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
      const s = d?.status ?? {};
      const want = d?.spec?.replicas ?? 1;
      return d && s.observedGeneration >= d.metadata.generation && s.updatedReplicas === want && s.availableReplicas === want && (s.replicas ?? 0) === want ? true : undefined;
    }, () => this.logTail());
  }

  /** Running pods matching a label selector, e.g. `app=sleep`. */
  async runningPods(namespace: string, selector: string): Promise<any[]> {
    const list = await this.cp.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
    return (list?.items ?? []).filter((p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  }

  /**
   * `kubectl exec` into the first running pod matching `selector`: the command runs in that
   * container's network namespace, files and user.
   */
  async exec(namespace: string, selector: string, container: string, argv: string[], timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const [pod] = await this.runningPods(namespace, selector);
    if (!pod) throw new Error(`no running pod in ${namespace} matches ${selector}`);
    const runner = this.node.runner(namespace, pod.metadata.name);
    if (!runner) throw new Error(`pod ${namespace}/${pod.metadata.name} does not run on the local node`);
    return runner.exec(container, argv, timeoutMs);
  }

  /** The last lines of the cluster's own log, for timeouts. */
  logTail(lines = 20): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }

  /** Where the cluster's own log (node agent, kube-proxy, load balancer) is written. */
  get logFile(): string {
    return join(this.cp.dir, 'cluster.log');
  }

  private async stopAgents(): Promise<void> {
    await this.node.stop();
    await this.extender.stop();
    this.dns.stop();
    await this.services.stop();
  }

  async stop(): Promise<void> {
    await this.cp.stop();
  }
}
