/**
 * A DaemonSet's pod bound to the local node that the node must not run (a DaemonSet places a
 * pod on every node itself; the scheduler extender sends every other such pod to a kwok node):
 * - ztunnel: no program stands in for its image (it cannot be built from the registries this
 *   machine reaches);
 * - the CNI agent in ambient mode: it enters the network namespace of the host's PID 1 to
 *   write its rules, which on this node is the machine's own.
 * Like kwok, the node reports the pod Running and Ready and runs nothing, so the DaemonSet
 * becomes ready on every node and anything that waits on it can go on.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { mergePatch, statusOf } from '../kube';
import { NodeContext } from './pod';
import { SIMULATED } from './simulation';

export class SimulatedPod {
  private index?: number;
  private address?: string;
  private stopped = false;

  constructor(private readonly ctx: NodeContext, private readonly pod: V1Pod, readonly reason: string) {}

  get name(): string {
    return `${this.pod.metadata!.namespace}/${this.pod.metadata!.name}`;
  }

  async run(): Promise<void> {
    const spec = this.pod.spec!;
    if (spec.hostNetwork) this.address = this.ctx.node.address;
    else ({ index: this.index, address: this.address } = this.ctx.allocate());
    const now = new Date().toISOString() as unknown as Date;
    const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
    const status = (c: { name: string; image?: string }) => ({
      name: c.name, image: c.image!, imageID: `simulated://${c.image}`, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
    });
    const body = {
      status: {
        phase: 'Running',
        message: `${SIMULATED}: ${this.reason}`,
        hostIP: this.ctx.node.address,
        hostIPs: [{ ip: this.ctx.node.address }],
        podIP: this.address,
        podIPs: [{ ip: this.address }],
        startTime: now,
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
        initContainerStatuses: (spec.initContainers ?? []).map((c) => ({ ...status(c), ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } } })),
        containerStatuses: spec.containers.map(status),
      },
    };
    try {
      await this.ctx.clients.core.patchNamespacedPodStatus({ name: this.pod.metadata!.name!, namespace: this.pod.metadata!.namespace!, body }, mergePatch);
      this.ctx.log(`pod ${this.name}: ${SIMULATED}: ${this.reason}`);
    } catch (e) {
      if (statusOf(e) !== 404) this.ctx.log(`pod ${this.name}: status update failed: ${(e as Error).message}`);
    }
  }

  update(): void {
    // nothing runs, so a changed spec changes nothing
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.index !== undefined) this.ctx.release(this.index);
  }
}
