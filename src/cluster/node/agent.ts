/**
 * The local node's agent: the kubelet's job for the pods this machine can run. It registers
 * a Node, keeps its Lease fresh (so the node lifecycle controller keeps it Ready), watches
 * the pods bound to it and runs each with a PodRunner; a pod being deleted is stopped within
 * its grace period and then removed from the API, as the kubelet does.
 */
import { join } from 'path';
import type { V1Pod } from '@kubernetes/client-node';
import { KubeClients, mergePatch, statusOf, watchAll } from '../kube';
import { Netns } from '../network';
import { NodeCni } from './cni';
import { imagesWithoutStandIn } from '../scheduler-extender';
import { ContainerView, KUBELET_PORT, KubeletApiError } from './kubelet-api';
import { NodeContext, PodRunner } from './pod';
import { SimulatedPod } from './simulated';
import { SIMULATED, simulationReason } from './simulation';

export interface NodeAgentOptions {
  readonly clients: KubeClients;
  readonly netns: Netns;
  readonly nodeName: string;
  readonly kubeletVersion: string;
  readonly dir: string;
  readonly dnsServer: string;
  readonly log: (message: string) => void;
  /**
   * The CPU the node advertises, which the scheduler fits pods' requests into (nothing limits
   * a process to it). @default '2', the cores of the machines this runs on
   */
  readonly cpu?: string;
}

export const LOCAL_NODE_LABEL = 'istio-charts.dev/node';

export class NodeAgent {
  private readonly runners = new Map<string, PodRunner | SimulatedPod>();
  private readonly free: Array<{ index: number; address: string }>;
  private leaseTimer?: NodeJS.Timeout;
  private watch?: ReturnType<typeof watchAll<V1Pod>>;
  private readonly ctx: NodeContext;

  constructor(private readonly o: NodeAgentOptions) {
    this.free = o.netns.plan.podAddresses.map((address, index) => ({ index, address }));
    const nodeRoot = join(o.dir, 'node-root', o.nodeName);
    this.ctx = {
      nodeRoot,
      cni: new NodeCni(nodeRoot, o.netns.address, o.log),
      clients: o.clients,
      node: o.netns,
      nodeName: o.nodeName,
      kubernetesServiceIp: o.netns.plan.kubernetesServiceIp,
      dir: o.dir,
      dnsServer: o.dnsServer,
      clusterDomain: 'cluster.local',
      allocate: () => {
        const a = this.free.shift();
        if (!a) throw new Error(`the local node has no pod address left (${o.netns.plan.podAddresses.length} in use)`);
        return a;
      },
      release: (index) => this.free.push({ index, address: o.netns.plan.podAddresses[index] }),
      log: o.log,
    };
  }

  async start(): Promise<void> {
    // the node's primary network exists before any pod, as a real node's CNI does
    this.ctx.cni.writePrimaryConfig();
    await this.register();
    await this.renewLease();
    this.leaseTimer = setInterval(() => void this.renewLease().catch((e) => this.o.log(`lease: ${e.message}`)), 10_000);
    this.leaseTimer.unref();
    const fieldSelector = `spec.nodeName=${this.o.nodeName}`;
    this.watch = watchAll<V1Pod>(this.o.clients, '/api/v1/pods', () => this.o.clients.core.listPodForAllNamespaces({ fieldSelector }), (kind, pod) => this.reconcile(kind, pod), fieldSelector);
    await this.watch.informer.start();
  }

  /** The runner of a pod, by namespace and name (for tests that look inside). */
  runner(namespace: string, name: string): PodRunner | undefined {
    return [...this.runners.values()].find((r): r is PodRunner => r instanceof PodRunner && r.name === `${namespace}/${name}`);
  }

  /**
   * What the kubelet API needs of `namespace/name`'s `container`: the view of a pod this node
   * runs, or a KubeletApiError saying that the pod is simulated (here, or on a kwok node, whose
   * address the same API answers on) and why, or not here.
   */
  async containerView(namespace: string, name: string, container: string, previous: boolean): Promise<ContainerView> {
    const here = [...this.runners.values()].find((x) => x.name === `${namespace}/${name}`);
    if (here instanceof SimulatedPod) throw new KubeletApiError(400, `pod ${namespace}/${name} is ${SIMULATED} (${here.reason}): no process runs, so it has no logs, exec or ports`);
    if (here) return here.container(container, previous);
    let pod: V1Pod;
    try {
      pod = await this.o.clients.core.readNamespacedPod({ namespace, name });
    } catch (e) {
      if (statusOf(e) === 404) throw new KubeletApiError(404, `pod ${namespace}/${name} not found`);
      throw e;
    }
    const node = pod.spec?.nodeName;
    if (node && node !== this.o.nodeName) {
      const missing = imagesWithoutStandIn(pod);
      const why = missing.length ? `no program stands in for ${missing.join(', ')}` : `its DaemonSet runs it for real on ${this.o.nodeName}`;
      throw new KubeletApiError(400, `pod ${namespace}/${name} is simulated by kwok on ${node} (${why}): no process runs, so it has no logs, exec or ports`);
    }
    throw new KubeletApiError(404, `pod ${namespace}/${name} does not run on ${this.o.nodeName} (yet)`);
  }

  private reconcile(kind: 'add' | 'update' | 'delete', pod: V1Pod): void {
    const uid = pod.metadata!.uid!;
    let runner = this.runners.get(uid);
    if (kind === 'delete') {
      if (runner) void runner.stop(0).then(() => this.runners.delete(uid));
      return;
    }
    if (pod.metadata!.deletionTimestamp) {
      const grace = pod.metadata!.deletionGracePeriodSeconds ?? pod.spec!.terminationGracePeriodSeconds ?? 30;
      const stopped = runner ? runner.stop(grace) : Promise.resolve();
      void stopped
        .then(() => this.remove(pod))
        .catch((e) => this.o.log(`stopping pod ${pod.metadata!.namespace}/${pod.metadata!.name}: ${(e as Error).stack}`))
        .finally(() => this.runners.delete(uid));
      return;
    }
    if (runner) {
      runner.update(pod);
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const simulated = simulationReason(pod);
    runner = simulated ? new SimulatedPod(this.ctx, pod, simulated) : new PodRunner(this.ctx, pod);
    this.runners.set(uid, runner);
    void runner.run();
  }

  /** The kubelet's final delete: grace 0, only for this pod (uid precondition). */
  private async remove(pod: V1Pod): Promise<void> {
    try {
      // all options in the body: with a body, the apiserver ignores the query's gracePeriodSeconds
      await this.o.clients.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } } });
      this.o.log(`pod ${pod.metadata!.namespace}/${pod.metadata!.name} stopped and removed`);
    } catch (e) {
      if (statusOf(e) !== 404) this.o.log(`deleting pod ${pod.metadata!.namespace}/${pod.metadata!.name}: ${(e as Error).message}`);
    }
  }

  private resources(): Record<string, string> {
    return { cpu: this.o.cpu ?? '2', memory: '24Gi', pods: String(this.o.netns.plan.podAddresses.length), 'ephemeral-storage': '50Gi' };
  }

  private nodeStatus(): object {
    const now = new Date().toISOString();
    const condition = (type: string, status: string, reason: string) => ({ type, status, reason, lastHeartbeatTime: now, lastTransitionTime: now });
    return {
      capacity: this.resources(),
      allocatable: this.resources(),
      conditions: [
        condition('Ready', 'True', 'KubeletReady'),
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
      ],
      addresses: [
        { type: 'InternalIP', address: this.o.netns.address },
        { type: 'Hostname', address: this.o.nodeName },
      ],
      // where the apiserver dials the kubelet API (the JSON key is capitalised in the API)
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      nodeInfo: {
        kubeletVersion: this.o.kubeletVersion,
        kubeProxyVersion: this.o.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'local://processes',
        osImage: 'istio-charts local node',
        kernelVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    };
  }

  private async register(): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.o.nodeName, labels: { 'kubernetes.io/hostname': this.o.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', [LOCAL_NODE_LABEL]: 'processes' } },
      spec: { podCIDR: this.o.netns.plan.podCidr, podCIDRs: [this.o.netns.plan.podCidr] },
    };
    await this.o.clients.core.createNode({ body });
    await this.o.clients.core.patchNodeStatus({ name: this.o.nodeName, body: { status: this.nodeStatus() } }, mergePatch);
  }

  private async renewLease(): Promise<void> {
    const namespace = 'kube-node-lease';
    // a MicroTime: the apiserver wants six fractional digits
    const renewTime = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    const spec = { holderIdentity: this.o.nodeName, leaseDurationSeconds: 40, renewTime: renewTime as unknown as Date };
    try {
      await this.o.clients.coordination.patchNamespacedLease({ name: this.o.nodeName, namespace, body: { spec } }, mergePatch);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      await this.o.clients.coordination.createNamespacedLease({ namespace, body: { metadata: { name: this.o.nodeName, namespace }, spec } });
    }
    // the Ready condition's heartbeat, as the kubelet refreshes it alongside the lease
    await this.o.clients.core.patchNodeStatus({ name: this.o.nodeName, body: { status: this.nodeStatus() } }, mergePatch);
  }

  /** Stop every pod (in parallel, each within a short grace) and the watch. */
  async stop(): Promise<void> {
    clearInterval(this.leaseTimer);
    await this.watch?.stop();
    await Promise.all([...this.runners.values()].map((r) => r.stop(2)));
    this.runners.clear();
  }
}
