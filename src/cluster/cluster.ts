/**
 * A whole local cluster: the control plane (control-plane.ts), one node that runs pods as
 * processes together with the cluster's services (node/main.ts, a process of its own), a
 * kwok node for pods it cannot run (kwok.ts). The scheduler places each pod through the
 * node's extender (scheduler-extender.ts). Everything is stopped by PID and every namespace
 * removed on stop, or on exit if the process dies first.
 *
 * This side runs in the caller's process (jest, npm start) and talks to the node through the
 * apiserver (kubectl exec reaches the node's kubelet API as any user's does) and, for what only
 * tests look at (a pod's namespace and PIDs), the node agent's private API; it never loads the
 * Kubernetes client library itself.
 */
import { execFile, spawn } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ControlPlane, waitFor } from './control-plane';
import { requestJsonOnce } from './http';
import { startKwok } from './kwok';
import type { NodeConfig } from './node/main';
import { killPodProcesses } from './network';
import { kubeletApiBinary } from './node/kubelet-api';
import { kubectlBinary } from '../tools/helm';
import { onExit } from './processes';
import { retryTransient } from './retry';

export const LOCAL_NODE = 'local-node';
export const KWOK_NODE = 'kwok-node';
/** The node agent's private API, on the host end of the node's link (the kubelet API is on the node's address). */
const NODE_API_PORT = 10251;
const EXTENDER_PORT = 10300;

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PodOnNode {
  readonly netns: string;
  readonly podIP: string;
  readonly processes: Array<{ container: string; pid: number }>;
  /** The CNI plugins chained onto the node's network that the pod's ADD ran, and how long the chain took. */
  readonly cni?: { plugins: string[]; ms: number };
}

/**
 * Every pilot-agent, Envoy and istiod watches files with inotify, and all proxies run as one
 * user (1337): the kernel's default of 128 inotify instances per user runs out with two
 * clusters of a dozen proxies ("couldn't initialize inotify: too many open files"). Raise the
 * limits as kind's documentation has its users do; never lower them.
 */
export const INOTIFY_LIMITS: Record<string, number> = { 'fs/inotify/max_user_instances': 1024, 'fs/inotify/max_user_watches': 524288 };

function ensureInotifyLimits(): void {
  for (const [key, min] of Object.entries(INOTIFY_LIMITS)) {
    const path = `/proc/sys/${key}`;
    try {
      if (Number(readFileSync(path, 'utf8')) < min) writeFileSync(path, String(min));
    } catch (e) {
      throw new Error(`the local cluster needs ${key.replace(/\//g, '.')} >= ${min} (many proxies watch files) and could not set it: ${(e as Error).message}`);
    }
  }
}

export interface LocalClusterOptions {
  /**
   * The CPU the real node advertises. Pods are processes that no request limits, so a suite
   * whose pods ask for more than this machine's cores (every sidecar asks 100m) raises it to
   * be scheduled at all. @default '2'
   */
  readonly nodeCpu?: string;
  /**
   * Take all of TEST-NET-2 (124 pods, 32 LoadBalancer addresses, 62 Services) instead of one
   * slot's share; no other local cluster may run meanwhile. @default false
   */
  readonly wholeRange?: boolean;
}

export class LocalCluster {
  private constructor(
    readonly cp: ControlPlane,
    private readonly nodeApi: string,
    /** The node process (node/main.ts): its pods die with it (tests kill it to show that). */
    readonly nodePid: number,
  ) {}

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    ensureInotifyLimits();
    const cp = await ControlPlane.start({ wholeRange: options.wholeRange });
    try {
      await cp.startControllerManager();
      const config: NodeConfig = {
        kubeconfig: cp.kubeconfig,
        netns: cp.netns,
        nodeName: LOCAL_NODE,
        kwokNodes: [KWOK_NODE],
        kubeletVersion: cp.binaries.versions.kubernetes,
        dir: cp.dir,
        logFile: join(cp.dir, 'cluster.log'),
        apiPort: NODE_API_PORT,
        extenderPort: EXTENDER_PORT,
        kubeletApi: { binary: kubeletApiBinary(), cert: cp.pki.kubeletCert, key: cp.pki.kubeletKey, clientCa: cp.pki.caCert, kwokNodeAddress: cp.netns.plan.kwokNodeAddress },
        cpu: options.nodeCpu,
      };
      const nodePid = await startNode(cp, config);
      await startKwok(cp, KWOK_NODE);
      await cp.startScheduler(`http://${cp.netns.hostAddress}:${EXTENDER_PORT}/`);
      return new LocalCluster(cp, `http://${cp.netns.hostAddress}:${NODE_API_PORT}`, nodePid);
    } catch (e) {
      await cp.stop();
      throw e;
    }
  }

  /** Where the node's log (pods, kube-proxy, load balancer) is written; each container logs under pods/. */
  get logFile(): string {
    return join(this.cp.dir, 'cluster.log');
  }

  /** The real node's root directory: its hostPath volumes, CNI config and plugins live here. */
  get nodeRoot(): string {
    return join(this.cp.dir, 'node-root', LOCAL_NODE);
  }

  /** The last lines of the node's log, for timeouts. */
  logTail(lines = 20): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n') : '';
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

  /** A pod as the node runs it (network namespace, container PIDs), or undefined. */
  async podOnNode(namespace: string, name: string): Promise<PodOnNode | undefined> {
    const path = `/pod?namespace=${namespace}&name=${name}`;
    const r = await retryTransient(`GET node ${path}`, () => requestJsonOnce(`${this.nodeApi}${path}`, { method: 'GET' }));
    return (r.body as PodOnNode | null) ?? undefined;
  }

  /**
   * `kubectl exec` into a pod's container (the node's kubelet API runs it in the container's
   * network namespace, files and user); the command's exit code is `code`. Retried only when
   * the apiserver could not reach the node, before anything ran.
   */
  async execIn(namespace: string, pod: string, container: string, argv: string[], timeoutMs = 30_000): Promise<ExecResult> {
    const args = ['--kubeconfig', this.cp.kubeconfig, 'exec', '-n', namespace, pod, '-c', container, '--', ...argv];
    const once = () =>
      new Promise<ExecResult>((resolve) =>
        execFile(kubectlBinary(), args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) => {
          const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
          resolve({ code, stdout, stderr });
        }),
      );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await once();
      if (r.code === 0 || !/error dialing backend|unable to upgrade connection: .*(refused|timeout|EOF)/.test(r.stderr) || Date.now() > deadline) return r;
      await new Promise((res) => setTimeout(res, 1000));
    }
  }

  /** `kubectl exec` into the first running pod matching `selector`. */
  async exec(namespace: string, selector: string, container: string, argv: string[], timeoutMs?: number): Promise<ExecResult> {
    const [pod] = await this.runningPods(namespace, selector);
    if (!pod) throw new Error(`no running pod in ${namespace} matches ${selector}`);
    return this.execIn(namespace, pod.metadata.name, container, argv, timeoutMs);
  }

  /** The LoadBalancer address of a Service, once it has one. */
  async loadBalancerAddress(namespace: string, name: string, timeoutMs = 30_000): Promise<string> {
    return waitFor(`a LoadBalancer address for Service ${namespace}/${name}`, timeoutMs, async () => (await this.cp.get(`/api/v1/namespaces/${namespace}/services/${name}`))?.status?.loadBalancer?.ingress?.[0]?.ip);
  }

  async stop(): Promise<void> {
    await this.cp.stop();
  }
}

/**
 * Start the node process on this host (its DNS, extender and API listen on the host end of
 * the node's link) and wait for it to say it is ready. It is stopped first when the control
 * plane stops, so its pods end while the apiserver still answers.
 */
async function startNode(cp: ControlPlane, config: NodeConfig): Promise<number> {
  const main = join(__dirname, 'node', 'main.ts');
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), main, JSON.stringify(config)], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json') },
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const removeHook = onExit(() => {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  let stopping = false;
  // a node process that dies on its own (killed, crashed) leaves its pods' grandchildren running
  void exited.then(() => {
    if (!stopping) killPodProcesses(cp.netns);
  });
  cp.beforeStop(async () => {
    stopping = true;
    child.kill('SIGTERM');
    const timeout = new Promise((r) => setTimeout(r, 60_000).unref());
    await Promise.race([exited, timeout]);
    removeHook();
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => (String(d).includes('ready') ? resolve() : undefined));
    void exited.then((code) => reject(new Error(`the node process exited (code ${code}) before it was ready:\n${output}`)));
  });
  await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error(`the node process was not ready after 60 s:\n${output}`)), 60_000).unref())]);
  return child.pid!;
}
