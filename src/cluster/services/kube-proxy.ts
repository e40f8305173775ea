/**
 * kube-proxy's job in its iptables mode, in the node namespace: each Service port's ClusterIP
 * (and LoadBalancer address) is DNATed to a ready endpoint chosen at random. Pods route
 * everything through the node, so one NAT table there serves every pod without a sidecar,
 * istiod reaching `kubernetes.default`, and the host reaching the gateway. Traffic a sidecar
 * captured never gets here: Envoy already picked an endpoint.
 */
import { inNetns } from '../network';
import { ServiceWatch } from './service-watch';

const CHAIN = 'ICL-SERVICES';

export class KubeProxy {
  private applied = '';

  constructor(private readonly netns: string, private readonly services: ServiceWatch, private readonly log: (m: string) => void) {}

  start(): void {
    inNetns(this.netns, 'iptables', ['-t', 'nat', '-N', CHAIN]);
    for (const hook of ['PREROUTING', 'OUTPUT']) inNetns(this.netns, 'iptables', ['-t', 'nat', '-A', hook, '-j', CHAIN]);
    this.services.onChange(() => this.sync());
    this.sync();
  }

  /** The whole chain, rewritten atomically with iptables-restore when it changes. */
  private rules(): string[] {
    const rules: string[] = [];
    for (const svc of this.services.allServices()) {
      const spec = svc.spec!;
      const vips = [spec.clusterIP, ...(svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip)].filter((ip): ip is string => !!ip && ip !== 'None');
      if (vips.length === 0) continue;
      const eps = this.services.endpoints(svc);
      for (const port of spec.ports ?? []) {
        const proto = (port.protocol ?? 'TCP').toLowerCase();
        const targets = eps.map((e) => `${e.address}:${e.ports.get(port.name ?? '') ?? (typeof port.targetPort === 'number' ? port.targetPort : port.port)}`);
        for (const vip of vips) {
          const match = `-A ${CHAIN} -d ${vip}/32 -p ${proto} --dport ${port.port}`;
          // no ready endpoint: no rule, and the blackhole route drops the packet
          targets.forEach((t, i) => {
            const left = targets.length - i;
            const pick = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(5)}` : '';
            rules.push(`${match}${pick} -j DNAT --to-destination ${t}`);
          });
        }
      }
    }
    return rules;
  }

  private sync(): void {
    const text = ['*nat', `:${CHAIN} - [0:0]`, ...this.rules(), 'COMMIT', ''].join('\n');
    if (text === this.applied) return;
    try {
      inNetns(this.netns, 'iptables-restore', ['--noflush'], text);
      this.applied = text;
    } catch (e) {
      this.log(`kube-proxy: iptables-restore failed: ${(e as Error).message}`);
    }
  }
}
