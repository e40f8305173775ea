/**
 * Services and EndpointSlices of the whole cluster, watched once and shared by the pieces
 * that act on them (kube-proxy rules, DNS answers, load-balancer addresses).
 */
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { KubeClients, watchAll } from '../kube';

export class ServiceWatch {
  private readonly listeners: Array<() => void> = [];
  private readonly services;
  private readonly slices;
  private timer?: NodeJS.Timeout;

  constructor(clients: KubeClients, private readonly log: (m: string) => void) {
    this.services = watchAll<V1Service>(clients, '/api/v1/services', () => clients.core.listServiceForAllNamespaces(), () => this.changed());
    this.slices = watchAll<V1EndpointSlice>(clients, '/apis/discovery.k8s.io/v1/endpointslices', () => clients.discovery.listEndpointSliceForAllNamespaces(), () => this.changed());
  }

  async start(): Promise<void> {
    await this.services.informer.start();
    await this.slices.informer.start();
  }

  /** Called (debounced) after any change. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const l of this.listeners) {
        try {
          l();
        } catch (e) {
          this.log(`service watch: ${(e as Error).stack}`);
        }
      }
    }, 100);
  }

  allServices(): readonly V1Service[] {
    return this.services.informer.list();
  }

  service(namespace: string, name: string): V1Service | undefined {
    return this.services.informer.get(name, namespace);
  }

  /** Ready endpoint addresses of a Service, with the port of each named Service port. */
  endpoints(svc: V1Service): Array<{ address: string; ports: Map<string, number>; hostname?: string }> {
    const name = svc.metadata!.name!;
    const ns = svc.metadata!.namespace!;
    const out: Array<{ address: string; ports: Map<string, number>; hostname?: string }> = [];
    for (const s of this.slices.informer.list(ns)) {
      if (s.metadata?.labels?.['kubernetes.io/service-name'] !== name || s.addressType !== 'IPv4') continue;
      const ports = new Map((s.ports ?? []).map((p) => [p.name ?? '', p.port!] as [string, number]));
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const address of e.addresses ?? []) out.push({ address, ports, hostname: e.hostname });
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.services.stop();
    await this.slices.stop();
  }
}
