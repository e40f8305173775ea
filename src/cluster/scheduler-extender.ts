/**
 * Where a pod can run, told to kube-scheduler through its extender interface (the filter
 * verb): a pod whose every image has a local stand-in (images.ts) fits the real node only,
 * any other pod fits the kwok nodes only, where it is simulated; a DaemonSet's pod fits the
 * node its controller chose, run there or simulated. The scheduler does the rest
 * (taints, affinity, spreading) as usual.
 */
import * as http from 'http';
import { runnableImage } from './images';

export interface Placement {
  readonly realNodes: ReadonlySet<string>;
  readonly simulatedNodes: ReadonlySet<string>;
}

/** True when the node runs every container of the pod for real. */
export function runsHere(pod: { spec?: { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } }): boolean {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.length > 0 && containers.every((c) => runnableImage(c.image ?? '') !== undefined);
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
          const here = runsHere(args.Pod ?? args.pod);
          // a DaemonSet wants a pod on every node: wherever it cannot run, it is simulated (by kwok, or node/simulated.ts)
          const daemon = (args.Pod ?? args.pod)?.metadata?.ownerReferences?.some((o: { kind?: string }) => o.kind === 'DaemonSet');
          const fits = daemon ? new Set([...this.placement.realNodes, ...this.placement.simulatedNodes]) : here ? this.placement.realNodes : this.placement.simulatedNodes;
          const failed: Record<string, string> = {};
          for (const n of names) if (!fits.has(n)) failed[n] = here ? 'the pod runs for real on the local node' : 'an image of the pod has no local stand-in: simulated on a kwok node';
          result = { NodeNames: names.filter((n) => fits.has(n)), FailedNodes: failed, Error: '' };
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
