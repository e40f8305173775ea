/**
 * One pod on the local node, run as the kubelet runs it: its own network namespace and
 * address, sysctls, volumes, init containers in order (a native sidecar, an init container
 * with `restartPolicy: Always`, is started and must pass its startup probe before the next),
 * then the containers; probes; restarts with back-off per restart policy (10 s doubling to
 * 5 min, reset after 10 min of running, shown as CrashLoopBackOff, the last exit in
 * lastState); and status written back.
 * Stopping it stops its processes by PID (containers, then sidecars) and removes its namespace.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { KubeClients, mergePatch, statusOf } from '../kube';
import { Netns, PodNetwork, createPodNetwork, deletePodNetwork, inNetns } from '../network';
import { LocalProcess } from '../processes';
import { ContainerConfigError, Launch, prepareLaunch } from './container';
import { CniAdd, CniError, NodeCni } from './cni';
import { CriLog } from './cri-log';
import { ContainerView, KubeletApiError } from './kubelet-api';
import { ProbeState, execProbe, runHook, runProbe } from './probes';
import { PodVolumes, VolumeNotReady } from './volumes';

export interface NodeContext {
  readonly clients: KubeClients;
  readonly node: Netns;
  readonly nodeName: string;
  readonly kubernetesServiceIp: string;
  /** Directory of the cluster's files. */
  readonly dir: string;
  /** The node's root directory: hostPath volumes live under it. */
  readonly nodeRoot: string;
  /** The node's CNI runtime: the chained plugins each pod's network goes through. */
  readonly cni: NodeCni;
  /** The cluster's DNS server, for resolv.conf. */
  readonly dnsServer: string;
  readonly clusterDomain: string;
  allocate(): { index: number; address: string };
  release(index: number): void;
  log(message: string): void;
}

type Kind = 'init' | 'sidecar' | 'app';

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const BACKOFF_RESET_MS = 600_000;

class ContainerRun {
  process?: LocalProcess;
  launch?: Launch;
  restartCount = 0;
  /** Instances started so far, numbering the log files (restartCount resets with the back-off). */
  instance = 0;
  state: 'waiting' | 'running' | 'terminated' = 'waiting';
  reason = 'PodInitializing';
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  last?: { exitCode: number; reason: string; startedAt?: string; finishedAt: string };
  ready = false;
  started = false;
  readiness?: ProbeState;
  liveness?: ProbeState;
  startup?: ProbeState;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<number | null>;

  constructor(readonly spec: V1Container, readonly kind: Kind) {}

  /**
   * Before a restart, as the kubelet counts it: the exit goes to lastState and the count grows,
   * starting over when the container had run long enough for its back-off to reset.
   */
  recordExitForRestart(): void {
    const finishedAt = this.finishedAt ?? new Date().toISOString();
    if (Date.parse(finishedAt) - Date.parse(this.startedAt ?? finishedAt) > BACKOFF_RESET_MS) this.restartCount = 0;
    this.last = { exitCode: this.exitCode ?? 0, reason: this.reason, startedAt: this.startedAt, finishedAt };
    this.restartCount++;
  }

  status(): V1ContainerStatus {
    const state =
      this.state === 'running'
        ? { running: { startedAt: this.startedAt as unknown as Date } }
        : this.state === 'terminated'
          ? { terminated: { exitCode: this.exitCode ?? 0, reason: this.reason, startedAt: this.startedAt as unknown as Date, finishedAt: this.finishedAt as unknown as Date } }
          : { waiting: { reason: this.reason, ...(this.message ? { message: this.message } : {}) } };
    return {
      name: this.spec.name,
      image: this.spec.image!,
      imageID: `local://${this.spec.image}`,
      ...(this.process ? { containerID: `local://${this.process.pid}` } : {}),
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      state,
      lastState: this.last ? { terminated: this.last as never } : {},
    } as V1ContainerStatus;
  }
}

export class PodRunner {
  private network?: PodNetwork;
  private index?: number;
  private volumes?: PodVolumes;
  private cniAdd?: CniAdd;
  private readonly dir: string;
  private readonly runs: ContainerRun[];
  private stopping = false;
  private initialized = false;
  private phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' = 'Pending';
  private readonly startTime = new Date().toISOString();
  private probeTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private statusPending = false;
  private statusChain: Promise<void> = Promise.resolve();
  private readonly transitions = new Map<string, string>();
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly ctx: NodeContext, private pod: V1Pod) {
    this.dir = join(ctx.dir, 'pods', `${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`);
    const sidecar = (c: V1Container) => (c as { restartPolicy?: string }).restartPolicy === 'Always';
    this.runs = [
      ...(pod.spec!.initContainers ?? []).map((c) => new ContainerRun(c, sidecar(c) ? 'sidecar' : 'init')),
      ...pod.spec!.containers.map((c) => new ContainerRun(c, 'app')),
    ];
    this.finished = new Promise((r) => (this.finish = r));
  }

  get name(): string {
    return `${this.pod.metadata!.namespace}/${this.pod.metadata!.name}`;
  }

  /** The pod's network namespace, while it runs. */
  get netns(): string | undefined {
    return this.network?.netns;
  }

  get podIP(): string | undefined {
    return this.network?.address;
  }

  /** The CNI plugins chained onto the node's network that this pod's ADD ran, and how long it took. */
  get cni(): { plugins: string[]; ms: number } | undefined {
    return this.cniAdd && { plugins: this.cniAdd.plugins, ms: this.cniAdd.ms };
  }

  /** The container processes, for tests that kill one. */
  processes(): Array<{ container: string; pid: number }> {
    return this.runs.filter((r) => r.process?.running).map((r) => ({ container: r.spec.name, pid: r.process!.pid }));
  }

  /**
   * What the kubelet API needs of a container to exec in it and read its log: the pod's
   * namespace, the launch prefix (the container's files, user and hostname) and env, and the
   * log file of its current instance, or of the one before (`previous`). With no container
   * named, the pod's namespace alone (port-forward). Throws KubeletApiError naming what is missing.
   */
  container(name: string, previous: boolean): ContainerView {
    if (!this.network) throw new KubeletApiError(409, `pod ${this.name} has no network namespace yet (it is starting or stopping)`);
    if (!name) return { netns: this.network.netns, prefix: [], env: {}, cwd: '/', logPath: '', instance: 0, running: true };
    const r = this.runs.find((x) => x.spec.name === name);
    if (!r) throw new KubeletApiError(404, `container ${JSON.stringify(name)} is not in pod ${this.name}`);
    if (r.instance === 0) throw new KubeletApiError(400, `container ${JSON.stringify(name)} in pod ${this.name} is waiting to start: ${r.reason}${r.message ? `: ${r.message}` : ''}`);
    const instance = previous ? r.instance - 1 : r.instance;
    const logPath = this.logPath(name, instance);
    if (previous && (instance < 1 || !existsSync(logPath))) throw new KubeletApiError(400, `previous terminated container ${JSON.stringify(name)} in pod ${this.name} not found`);
    const launch = r.launch!;
    return { netns: this.network.netns, prefix: launch.prefix, env: launch.env as Record<string, string>, cwd: launch.cwd, logPath, instance, running: r.state === 'running' && !previous };
  }

  /** A container instance's CRI-format log, as the kubelet keeps them: <container>/<instance>.log. */
  private logPath(container: string, instance: number): string {
    return join(this.dir, 'logs', container, `${instance}.log`);
  }

  update(pod: V1Pod): void {
    this.pod = { ...pod, status: this.pod.status };
  }

  async run(): Promise<void> {
    try {
      await this.sandbox();
      if (this.stopping) return;
      await this.initContainers();
      if (this.stopping) return;
      this.initialized = true;
      for (const r of this.runs.filter((x) => x.kind === 'app')) await this.startContainer(r);
      this.phase = 'Running';
      this.reportStatus();
    } catch (e) {
      if (!this.stopping) this.ctx.log(`pod ${this.name}: ${(e as Error).message}`);
    }
  }

  /** Namespace, address, sysctls, files and volumes; waits while a volume's source is missing. */
  private async sandbox(): Promise<void> {
    if (this.pod.spec!.hostNetwork) {
      // the node's own namespace and address; the runtime runs no CNI for such a pod, and the
      // apiserver refuses net.* sysctls with hostNetwork, so nothing below changes the node
      this.network = { netns: this.ctx.node.name, address: this.ctx.node.address, nodeInterface: '' };
    } else await this.podNetwork();
    if (this.stopping) return;
    mkdirSync(this.dir, { recursive: true });
    const address = this.network!.address;
    const ns = this.pod.metadata!.namespace!;
    const d = this.ctx.clusterDomain;
    writeFileSync(join(this.dir, 'resolv.conf'), `nameserver ${this.ctx.dnsServer}\nsearch ${ns}.svc.${d} svc.${d} ${d}\noptions ndots:5\n`);
    const hostname = this.pod.spec!.hostname ?? this.pod.metadata!.name!;
    const aliases = (this.pod.spec!.hostAliases ?? []).map((a) => `${a.ip}\t${(a.hostnames ?? []).join(' ')}\n`).join('');
    writeFileSync(join(this.dir, 'hosts'), `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${address}\t${hostname}\n${aliases}`);
    this.volumes = new PodVolumes(this.ctx.clients, this.pod, this.addresses(), join(this.dir, 'volumes'), this.ctx.nodeRoot);
    this.transitions.set('PodReadyToStartContainers', new Date().toISOString());
    this.reportStatus();
    for (;;) {
      try {
        await this.volumes.materialize();
        break;
      } catch (e) {
        if (!(e instanceof VolumeNotReady) || this.stopping) throw e;
        for (const r of this.runs) Object.assign(r, { reason: 'ContainerCreating', message: `MountVolume: ${e.message}` });
        this.reportStatus();
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    this.refreshTimer = setInterval(() => void this.volumes?.refresh(), 3000);
    this.refreshTimer.unref();
    this.probeTimer = setInterval(() => void this.probe(), 500);
    this.probeTimer.unref();
  }

  /** The pod's own namespace and address, sysctls, and the CNI chain. */
  private async podNetwork(): Promise<void> {
    const { index, address } = this.ctx.allocate();
    this.index = index;
    this.network = createPodNetwork(this.ctx.node, index, address);
    for (const s of this.pod.spec!.securityContext?.sysctls ?? []) {
      // only the network namespace's sysctls are the pod's own; others would change this host
      if (s.name.startsWith('net.')) inNetns(this.network.netns, 'sysctl', ['-q', '-w', `${s.name}=${s.value}`]);
      else this.ctx.log(`pod ${this.name}: sysctl ${s.name} ignored (not namespaced)`);
    }
    await this.attachCni();
  }

  /**
   * The chained CNI plugins' ADD, before any container starts; a failure is the sandbox's, and
   * is retried as the kubelet retries FailedCreatePodSandBox, with the plugin's error shown.
   */
  private async attachCni(): Promise<void> {
    const ref = { namespace: this.pod.metadata!.namespace!, name: this.pod.metadata!.name!, uid: this.pod.metadata!.uid! };
    for (;;) {
      try {
        this.cniAdd = await this.ctx.cni.add(ref, this.network!);
        if (this.cniAdd.plugins.length) this.ctx.log(`pod ${this.name}: CNI ADD ${this.cniAdd.plugins.join(',')} in ${this.cniAdd.ms.toFixed(1)} ms`);
        return;
      } catch (e) {
        if (!(e instanceof CniError) || this.stopping) throw e;
        this.ctx.log(`pod ${this.name}: ${e.message}`);
        for (const r of this.runs) Object.assign(r, { reason: 'ContainerCreating', message: `FailedCreatePodSandBox: ${e.message}` });
        this.reportStatus();
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  private addresses() {
    return { podIP: this.network!.address, hostIP: this.ctx.node.address };
  }

  private async initContainers(): Promise<void> {
    for (const r of this.runs.filter((x) => x.kind !== 'app')) {
      if (r.kind === 'sidecar') {
        await this.startContainer(r);
        while (!r.started && !this.stopping) await new Promise((res) => setTimeout(res, 200));
        continue;
      }
      for (;;) {
        if (this.stopping) return;
        await this.startContainer(r);
        const code = await r.exited!;
        if (this.stopping) return;
        if (code === 0) break;
        if (this.pod.spec!.restartPolicy === 'Never') {
          this.phase = 'Failed';
          this.reportStatus();
          throw new Error(`init container ${r.spec.name} failed with exit code ${code}`);
        }
        // a crash-looping init container shows its exit too: the cni agent's repair controller
        // finds broken pods by istio-validation's lastState
        r.recordExitForRestart();
        await this.backoff(r);
      }
    }
  }

  private async backoff(r: ContainerRun): Promise<void> {
    const delay = Math.min(BACKOFF_START_MS * 2 ** Math.max(0, r.restartCount - 1), BACKOFF_MAX_MS);
    r.state = 'waiting';
    r.reason = 'CrashLoopBackOff';
    r.message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${r.spec.name} pod=${this.pod.metadata!.name}`;
    this.reportStatus();
    await new Promise((res) => (r.restartTimer = setTimeout(res, delay)));
  }

  private async startContainer(r: ContainerRun): Promise<void> {
    if (this.stopping) return;
    try {
      r.launch = await prepareLaunch(this.ctx.clients, this.pod, r.spec, this.addresses(), this.ctx.kubernetesServiceIp, { podDir: this.dir, volumes: this.volumes! });
    } catch (e) {
      r.state = 'waiting';
      r.reason = e instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'RunContainerError';
      r.message = (e as Error).message;
      this.ctx.log(`pod ${this.name} container ${r.spec.name}: ${r.message}`);
      this.reportStatus();
      r.exited = new Promise(() => undefined);
      return;
    }
    r.instance++;
    mkdirSync(join(this.dir, 'logs', r.spec.name), { recursive: true });
    // the current instance's log and the one before it are kept, as the kubelet keeps them
    rmSync(this.logPath(r.spec.name, r.instance - 2), { force: true });
    rmSync(`${this.logPath(r.spec.name, r.instance - 2)}.1`, { force: true });
    const p = LocalProcess.start({
      name: `${this.name}/${r.spec.name}`,
      command: r.launch.prefix[0],
      args: [...r.launch.prefix.slice(1), r.launch.program, ...r.launch.argv.slice(1)],
      netns: this.network!.netns,
      cwd: r.launch.cwd,
      env: r.launch.env,
      logFile: this.logPath(r.spec.name, r.instance),
      output: new CriLog(this.logPath(r.spec.name, r.instance)),
    });
    r.process = p;
    r.state = 'running';
    r.reason = '';
    r.message = undefined;
    r.startedAt = new Date().toISOString();
    const now = Date.now();
    r.readiness = r.spec.readinessProbe ? new ProbeState(r.spec.readinessProbe, now) : undefined;
    r.liveness = r.spec.livenessProbe ? new ProbeState(r.spec.livenessProbe, now) : undefined;
    r.startup = r.spec.startupProbe ? new ProbeState(r.spec.startupProbe, now) : undefined;
    r.started = !r.startup;
    r.ready = r.kind !== 'init' && !r.readiness && r.started;
    r.exited = p.exitCode().then((code) => {
      this.onExit(r, p, code);
      return code;
    });
    this.reportStatus();
  }

  private onExit(r: ContainerRun, p: LocalProcess, code: number | null): void {
    if (r.process !== p) return;
    const finishedAt = new Date().toISOString();
    const exitCode = code ?? 137;
    r.state = 'terminated';
    r.exitCode = exitCode;
    r.reason = exitCode === 0 ? 'Completed' : 'Error';
    r.finishedAt = finishedAt;
    r.ready = false;
    r.started = false;
    this.reportStatus();
    if (this.stopping || r.kind === 'init') return;
    const policy = r.kind === 'sidecar' ? 'Always' : (this.pod.spec!.restartPolicy ?? 'Always');
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!restart) {
      const apps = this.runs.filter((x) => x.kind === 'app');
      if (apps.every((x) => x.state === 'terminated')) {
        this.phase = apps.every((x) => x.exitCode === 0) ? 'Succeeded' : 'Failed';
        this.reportStatus();
      }
      return;
    }
    r.recordExitForRestart();
    void this.backoff(r).then(() => this.startContainer(r));
  }

  private async probe(): Promise<void> {
    if (this.stopping || !this.network) return;
    const now = Date.now();
    await Promise.all(
      this.runs.map(async (r) => {
        if (r.state !== 'running' || !r.launch) return;
        const exec = this.execIn(r);
        const check = async (s: ProbeState | undefined) => {
          if (!s || !s.due(now)) return;
          s.record(await runProbe(s.probe, r.spec, this.network!.address, exec), Date.now());
        };
        if (!r.started) {
          await check(r.startup);
          if (r.startup?.result === true) r.started = true;
          else if (r.startup?.result === false) await r.process?.stop(1000);
        } else {
          await check(r.readiness);
          await check(r.liveness);
          if (r.liveness?.result === false) {
            r.liveness = undefined; // a new one starts with the restarted process
            await r.process?.stop((this.pod.spec!.terminationGracePeriodSeconds ?? 30) * 1000);
          }
        }
        const ready = r.kind !== 'init' && r.started && (r.readiness ? r.readiness.result === true : true);
        if (ready !== r.ready) {
          r.ready = ready;
          this.reportStatus();
        }
      }),
    );
  }

  private condition(type: string, ok: boolean): V1PodCondition {
    const status = ok ? 'True' : 'False';
    const key = `${type}=${status}`;
    if (!this.transitions.has(key)) this.transitions.set(key, new Date().toISOString());
    return { type, status, lastTransitionTime: this.transitions.get(key) as unknown as Date, lastProbeTime: null as unknown as Date };
  }

  private statusBody(): object {
    const serving = this.runs.filter((r) => r.kind !== 'init');
    const containersReady = this.initialized && serving.every((r) => r.ready);
    const podIPs = this.network ? [{ ip: this.network.address }] : [];
    return {
      status: {
        phase: this.phase,
        hostIP: this.ctx.node.address,
        hostIPs: [{ ip: this.ctx.node.address }],
        ...(this.network ? { podIP: this.network.address, podIPs } : {}),
        startTime: this.startTime,
        conditions: [
          this.condition('PodReadyToStartContainers', !!this.network),
          this.condition('Initialized', this.initialized),
          this.condition('Ready', containersReady && this.phase === 'Running'),
          this.condition('ContainersReady', containersReady),
          this.condition('PodScheduled', true),
        ],
        initContainerStatuses: this.runs.filter((r) => r.kind !== 'app').map((r) => r.status()),
        containerStatuses: this.runs.filter((r) => r.kind === 'app').map((r) => r.status()),
      },
    };
  }

  /** Coalesced: at most one status write in flight, the latest state wins. */
  private reportStatus(): void {
    if (this.statusPending) return;
    this.statusPending = true;
    this.statusChain = this.statusChain.then(async () => {
      this.statusPending = false;
      if (this.stopping && this.network === undefined) return;
      try {
        await this.ctx.clients.core.patchNamespacedPodStatus({ name: this.pod.metadata!.name!, namespace: this.pod.metadata!.namespace!, body: this.statusBody() }, mergePatch);
      } catch (e) {
        if (statusOf(e) !== 404) this.ctx.log(`pod ${this.name}: status update failed: ${(e as Error).message}`);
      }
    });
  }

  /** Runs a command in the container, as an exec probe or hook does. */
  private execIn(r: ContainerRun) {
    return (argv: string[], timeoutMs: number) => execProbe('ip', ['netns', 'exec', this.network!.netns, ...r.launch!.prefix, ...argv], r.launch!.env, timeoutMs);
  }

  /** The container's preStop hook, run as the kubelet runs it before the SIGTERM, within the grace period. */
  private async preStop(r: ContainerRun, deadline: number): Promise<void> {
    const hook = r.spec.lifecycle?.preStop;
    if (!hook || r.state !== 'running' || !r.launch || !this.network) return;
    await runHook(hook, r.spec, this.network.address, this.execIn(r), Math.max(0, deadline - Date.now()));
  }

  /**
   * Stop the pod: each container's preStop hook, then its SIGTERM; the containers first, then
   * the sidecars (after the containers, as for native sidecars); SIGKILL after the grace
   * period; then remove its namespace and files.
   */
  async stop(graceSeconds = this.pod.spec!.terminationGracePeriodSeconds ?? 30): Promise<void> {
    if (this.stopping) return this.finished;
    this.stopping = true;
    clearInterval(this.probeTimer);
    clearInterval(this.refreshTimer);
    for (const r of this.runs) clearTimeout(r.restartTimer);
    const deadline = Date.now() + graceSeconds * 1000;
    const stopAll = (rs: ContainerRun[]) =>
      Promise.all(
        rs.map(async (r) => {
          await this.preStop(r, deadline);
          await r.process?.stop(Math.max(0, deadline - Date.now()));
        }),
      );
    await stopAll(this.runs.filter((r) => r.kind === 'app'));
    await stopAll(this.runs.filter((r) => r.kind !== 'app').reverse());
    await this.statusChain;
    if (this.network && this.cniAdd) await this.ctx.cni.del({ namespace: this.pod.metadata!.namespace!, name: this.pod.metadata!.name!, uid: this.pod.metadata!.uid! }, this.network, this.cniAdd);
    // a hostNetwork pod's namespace is the node's: it stays
    if (this.network && !this.pod.spec!.hostNetwork) deletePodNetwork(this.ctx.node, this.network);
    if (this.index !== undefined) this.ctx.release(this.index);
    this.network = undefined;
    rmSync(this.dir, { recursive: true, force: true });
    this.finish();
  }
}
