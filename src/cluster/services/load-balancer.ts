/**
 * The cloud's load balancer, as MetalLB or kind's cloud provider play it: every Service of
 * type LoadBalancer gets an address from the cluster's LoadBalancer range in its status (so
 * `helm install --wait` of a gateway completes), and kube-proxy sends that address's traffic
 * to the Service's endpoints. The host routes the range to the node, so the address works
 * from this machine.
 */
import { KubeClients, mergePatch } from '../kube';
import { ServiceWatch } from './service-watch';

export class LoadBalancer {
  private readonly assigned = new Map<string, string>();

  constructor(private readonly clients: KubeClients, private readonly services: ServiceWatch, private readonly pool: readonly string[], private readonly log: (m: string) => void) {}

  start(): void {
    this.services.onChange(() => void this.sync());
  }

  private async sync(): Promise<void> {
    // a deleted Service gives its address back
    const live = new Set(this.services.allServices().map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`));
    for (const key of [...this.assigned.keys()]) if (!live.has(key)) this.assigned.delete(key);
    for (const svc of this.services.allServices()) {
      if (svc.spec?.type !== 'LoadBalancer') continue;
      const key = `${svc.metadata!.namespace}/${svc.metadata!.name}`;
      const current = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      const ip = this.assigned.get(key) ?? current ?? this.pool.find((a) => ![...this.assigned.values()].includes(a));
      if (!ip) {
        this.log(`load balancer: no address left for ${key}`);
        continue;
      }
      this.assigned.set(key, ip);
      if (current === ip) continue;
      try {
        await this.clients.core.patchNamespacedServiceStatus({ name: svc.metadata!.name!, namespace: svc.metadata!.namespace!, body: { status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } } }, mergePatch);
      } catch (e) {
        this.log(`load balancer: ${key}: ${(e as Error).message}`);
      }
    }
  }

  /** The address given to a Service, if any. */
  addressOf(namespace: string, name: string): string | undefined {
    return this.assigned.get(`${namespace}/${name}`);
  }
}
