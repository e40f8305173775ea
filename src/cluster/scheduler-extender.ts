/**
 * Where a pod can run, told to kube-scheduler through its extender interface (the filter
 * verb): a pod whose every image has a local stand-in (images.ts) fits the real node only,
 * any other pod fits the kwok nodes only, where it is simulated. A DaemonSet's pod is pinned
 * to its node by the controller, so it fits every node: one that runs here for real is
 * simulated on each kwok node, and one that cannot run here (ztunnel) is simulated by the
 * local node too (node/simulated.ts), so every agent is Ready on every node.
 * The scheduler does the rest (taints, affinity, spreading) as usual.
 */
import * as http from 'http';
import { runnableImage } from './images';

export interface Placement {
  readonly realNodes: ReadonlySet<string>;
  readonly simulatedNodes: ReadonlySet<string>;
}

type PodImages = { spec?: { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } };

/** The pod's images that no local program stands in for. */
export function imagesWithoutStandIn(pod: PodImages): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '').filter((image) => !runnableImage(image));
}

/** True when the node runs every container of the pod for real. */
export function runsHere(pod: PodImages): boolean {
  return (pod.spec?.containers ?? []).length + (pod.spec?.initContainers ?? []).length > 0 && imagesWithoutStandIn(pod).length === 0;
}

type PodLike = Parameters<typeof runsHere>[0] & { metadata?: { ownerReferences?: Array<{ kind?: string; controller?: boolean }> } };

/** The nodes a pod fits, and why each other node does not. */
export function placePod(pod: PodLike, names: readonly string[], placement: Placement): { fits: string[]; failed: Record<string, string> } {
  const here = runsHere(pod);
  const daemon = (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.controller);
  const fitsNode = (n: string) => (daemon ? placement.realNodes.has(n) || placement.simulatedNodes.has(n) : here ? placement.realNodes.has(n) : placement.simulatedNodes.has(n));
  const failed: Record<string, string> = {};
  for (const n of names) if (!fitsNode(n)) failed[n] = here ? 'the pod runs for real on the local node' : 'an image of the pod has no local stand-in: simulated on a kwok node';
  return { fits: names.filter(fitsNode), failed };
}

export class SchedulerExtender {
  private server?: http.Server;

  constructor(private readonly address: string, private readonly port: number, private readonly placement: Placement) {}

  get url(): string {
    return `http://${this.address}:${this.port}/`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        let result: object;
        try {
          const args = JSON.parse(body);
          const names: string[] = args.NodeNames ?? args.nodenames ?? (args.Nodes?.items ?? []).map((n: any) => n.metadata.name);
          const { fits, failed } = placePod(args.Pod ?? args.pod, names, this.placement);
          result = { NodeNames: fits, FailedNodes: failed, Error: '' };
        } catch (e) {
          result = { Error: `scheduler extender: ${(e as Error).message}` };
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, this.address, () => resolve());
    });
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r) ?? r(undefined));
  }
}
