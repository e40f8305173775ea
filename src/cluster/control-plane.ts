/**
 * A real Kubernetes control plane as local processes: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler in the node network namespace, with credentials
 * made for this run. The node agent (node/agent.ts) and kwok play the kubelets; cluster.ts
 * puts them together.
 */
import { execFile, spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { HelmMajor, helmBinary, kubectlBinary } from '../tools/helm';
import { ControlPlaneBinaries, ensureControlPlaneBinaries } from './binaries';
import { Netns, createNetns, deleteNetns } from './network';
import { Pki, generatePki, writeKubeconfig } from './pki';
import { LocalProcess, onExit } from './processes';
import { requestJsonOnce } from './http';
import { describeRequest, retryTransient } from './retry';

export const APISERVER_PORT = 6443;
const ETCD_PORT = 2379;

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: any;
}

/** Environment for processes we start: no proxies, no in-cluster hints. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(https?_proxy|no_proxy|all_proxy)$/i.test(k) || k.startsWith('KUBERNETES_') || k === 'KUBECONFIG') delete env[k];
  }
  return { ...env, ...extra };
}

/** Poll `check` until it returns a value (not undefined), or fail after `timeoutMs` naming what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, onTimeout?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e: any) {
      lastError = e?.message ?? String(e);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}${onTimeout ? `\n${onTimeout()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export class ControlPlane {
  private readonly processes: LocalProcess[] = [];
  private stopped = false;
  private readonly removeExitHook: () => void;

  private constructor(
    public readonly dir: string,
    public readonly netns: Netns,
    public readonly pki: Pki,
    public readonly binaries: ControlPlaneBinaries,
    /** `https://<address>:6443`, reachable from this host and from inside the namespace. */
    public readonly server: string,
    public readonly kubeconfig: string,
  ) {
    // if the test run dies, still remove the namespace and the files
    this.removeExitHook = onExit(() => this.cleanupSync());
  }

  /**
   * Build or locate the binaries, then start etcd and kube-apiserver and wait until it is ready.
   * `wholeRange`: the cluster takes all of TEST-NET-2 (addresses.ts), and runs alone.
   */
  static async start(options: { wholeRange?: boolean } = {}): Promise<ControlPlane> {
    const binaries = ensureControlPlaneBinaries();
    const dir = mkdtempSync(join(tmpdir(), 'istio-charts-cp-'));
    // pod processes run as their own users and read their volumes under this directory
    chmodSync(dir, 0o755);
    let netns: Netns | undefined;
    try {
      netns = createNetns(options);
      const pki = generatePki(dir, netns.address, netns.plan.kubernetesServiceIp, [netns.address, netns.plan.kwokNodeAddress]);
      const server = `https://${netns.address}:${APISERVER_PORT}`;
      const kubeconfig = join(dir, 'kubeconfig');
      writeKubeconfig(kubeconfig, server, pki.caCert, pki.adminToken);
      const cp = new ControlPlane(dir, netns, pki, binaries, server, kubeconfig);
      try {
        await cp.startEtcd();
        await cp.startApiserver();
      } catch (e) {
        await cp.stop();
        throw e;
      }
      return cp;
    } catch (e) {
      if (netns) deleteNetns(netns);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Start a process inside the namespace; it is stopped with the control plane. */
  spawn(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): LocalProcess {
    const p = LocalProcess.start({
      name,
      command,
      args,
      netns: this.netns.name,
      cwd: options.cwd ?? this.dir,
      env: options.env ?? cleanEnv(),
      logFile: join(this.dir, `${name}.log`),
    });
    this.processes.push(p);
    return p;
  }

  private async startEtcd(): Promise<void> {
    const data = join(this.dir, 'etcd-data');
    mkdirSync(data);
    const url = `http://127.0.0.1:${ETCD_PORT}`;
    // also on the namespace address, so this process can check its health
    const outside = `http://${this.netns.address}:${ETCD_PORT}`;
    const etcd = this.spawn('etcd', this.binaries.etcd, [
      '--name=local',
      `--data-dir=${data}`,
      `--listen-client-urls=${url},${outside}`,
      `--advertise-client-urls=${url}`,
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=local=http://127.0.0.1:2380',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await waitFor(
      'etcd /health',
      30_000,
      async () => {
        etcd.assertRunning();
        const r = await fetch(`${outside}/health`);
        return r.ok && (await r.text()).includes('true') ? true : undefined;
      },
      () => etcd.logTail(),
    );
  }

  private async startApiserver(): Promise<void> {
    const p = this.pki;
    const apiserver = this.spawn('kube-apiserver', this.binaries.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${ETCD_PORT}`,
      '--bind-address=0.0.0.0',
      `--advertise-address=${this.netns.address}`,
      `--secure-port=${APISERVER_PORT}`,
      `--tls-cert-file=${p.serverCert}`,
      `--tls-private-key-file=${p.serverKey}`,
      `--cert-dir=${join(this.dir, 'apiserver-certs')}`,
      `--client-ca-file=${p.caCert}`,
      `--token-auth-file=${p.tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${p.saPublicKey}`,
      `--service-account-signing-key-file=${p.saPrivateKey}`,
      `--service-cluster-ip-range=${this.netns.plan.serviceCidr}`,
      // webhooks are dialled at the EndpointSlice address, as on clusters without a kube-proxy on the control plane
      '--enable-aggregator-routing=true',
      '--allow-privileged=true',
      // nodes' kubelet APIs (exec, logs, port-forward): dialled at the InternalIP (the Hostname
      // address resolves nowhere here), with a client certificate, verifying the node's
      '--kubelet-preferred-address-types=InternalIP',
      `--kubelet-client-certificate=${p.kubeletClientCert}`,
      `--kubelet-client-key=${p.kubeletClientKey}`,
      `--kubelet-certificate-authority=${p.caCert}`,
    ]);
    await waitFor(
      'kube-apiserver /readyz',
      90_000,
      async () => {
        apiserver.assertRunning();
        const r = await this.api('GET', '/readyz');
        return r.status === 200 ? true : undefined;
      },
      () => apiserver.logTail(),
    );
  }

  /**
   * The controllers that make objects move: ReplicaSets and Pods from Deployments,
   * EndpointSlices, namespace deletion, garbage collection, ServiceAccounts and their
   * `kube-root-ca.crt`, node lifecycle.
   */
  async startControllerManager(): Promise<void> {
    const cm = this.spawn('kube-controller-manager', this.binaries.kubeControllerManager, [
      `--kubeconfig=${this.kubeconfig}`,
      `--authentication-kubeconfig=${this.kubeconfig}`,
      `--authorization-kubeconfig=${this.kubeconfig}`,
      `--service-account-private-key-file=${this.pki.saPrivateKey}`,
      `--root-ca-file=${this.pki.caCert}`,
      `--service-cluster-ip-range=${this.netns.plan.serviceCidr}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      '--bind-address=127.0.0.1',
      '--controllers=*,-bootstrapsigner,-tokencleaner',
    ]);
    await waitFor('the default ServiceAccount (kube-controller-manager running)', 90_000, async () => {
      cm.assertRunning();
      return (await this.get('/api/v1/namespaces/default/serviceaccounts/default')) ? true : undefined;
    }, () => cm.logTail());
  }

  /** The scheduler, asking `extender` (the node agent) which nodes can run a pod's images. */
  async startScheduler(extender: string): Promise<void> {
    const config = join(this.dir, 'scheduler.yaml');
    writeFileSync(config, JSON.stringify({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      clientConnection: { kubeconfig: this.kubeconfig },
      leaderElection: { leaderElect: false },
      extenders: [{ urlPrefix: extender, filterVerb: 'filter', nodeCacheCapable: true, ignorable: false, weight: 1 }],
    }));
    const s = this.spawn('kube-scheduler', this.binaries.kubeScheduler, [
      `--config=${config}`,
      `--authentication-kubeconfig=${this.kubeconfig}`,
      `--authorization-kubeconfig=${this.kubeconfig}`,
      '--bind-address=127.0.0.1',
    ]);
    await waitFor('kube-scheduler /healthz', 60_000, async () => {
      s.assertRunning();
      const r = spawnSync('ip', ['netns', 'exec', this.netns.name, 'curl', '-sk', 'https://127.0.0.1:10259/healthz'], { encoding: 'utf8' });
      return r.stdout.trim() === 'ok' ? true : undefined;
    }, () => s.logTail());
  }

  /**
   * A request to the apiserver as admin. Connection failures (reset, broken pipe, refused while
   * the apiserver starts) are retried within DEFAULT_RETRY; any error names the request.
   */
  api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    return retryTransient(describeRequest(method, path, body), () => this.apiOnce(method, path, body, contentType));
  }

  private apiOnce(method: string, path: string, body: unknown, contentType: string): Promise<ApiResponse> {
    return requestJsonOnce(`${this.server}${path}`, { method, body, contentType, ca: readFileSync(this.pki.caCert), headers: { authorization: `Bearer ${this.pki.adminToken}` } });
  }

  /** GET that must succeed (or return undefined on 404). */
  async get(path: string): Promise<any | undefined> {
    const r = await this.api('GET', path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Run helm against this cluster. */
  helm(args: string[], major: HelmMajor = 'v3'): CommandResult {
    return this.run(helmBinary(major), [...args, '--kubeconfig', this.kubeconfig]);
  }

  /** Run kubectl against this cluster (`input` is its stdin, e.g. for `apply -f -`). */
  kubectl(args: string[], input?: string): CommandResult {
    return this.run(kubectlBinary(), ['--kubeconfig', this.kubeconfig, ...args], input);
  }

  /** `kubectl apply` of YAML text; throws with kubectl's message when refused. */
  apply(yaml: string): string {
    const r = this.kubectl(['apply', '-f', '-'], yaml);
    if (r.status !== 0) throw new Error(`kubectl apply failed:\n${r.stderr}`);
    return r.stdout;
  }

  /** Run a binary with this cluster's helm and kube environment. */
  run(bin: string, args: string[], input?: string): CommandResult {
    // bounded: a command that hangs (waiting on a cluster it cannot reach) fails instead
    const r = spawnSync(bin, args, { input, timeout: 600_000, encoding: 'utf8', env: this.toolEnv(), maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw r.error;
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** helm as a child process that leaves this one's event loop running (a load probe keeps sending meanwhile). */
  helmAsync(args: string[], major: HelmMajor = 'v3'): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      execFile(helmBinary(major), [...args, '--kubeconfig', this.kubeconfig], { timeout: 600_000, env: this.toolEnv(), maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
      });
    });
  }

  /** helm and kubectl keep their files under the cluster's directory. */
  private toolEnv(): NodeJS.ProcessEnv {
    return cleanEnv({ HOME: this.dir, HELM_CACHE_HOME: join(this.dir, 'helm-cache'), HELM_CONFIG_HOME: join(this.dir, 'helm-config'), HELM_DATA_HOME: join(this.dir, 'helm-data') });
  }

  private readonly stopHooks: Array<() => Promise<void>> = [];

  /** Run `hook` first when stopping (the node agent stops its pods while the apiserver still answers). */
  beforeStop(hook: () => Promise<void>): void {
    this.stopHooks.push(hook);
  }

  /** Stop every process (the last started first, etcd last), remove the namespace and the files. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const hook of this.stopHooks.splice(0).reverse()) await hook().catch(() => undefined);
    for (const p of [...this.processes].reverse()) await p.stop();
    this.cleanupSync();
    this.removeExitHook();
  }

  private cleanupSync(): void {
    deleteNetns(this.netns);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
