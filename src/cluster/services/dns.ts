/**
 * The cluster's DNS, as kube-dns answers it for `*.svc.cluster.local`: a Service's name
 * resolves to its ClusterIP, a headless Service's to its ready endpoints (and
 * `<hostname>.<service>` to one of them). Everything else is NXDOMAIN: there is no upstream
 * resolver, so nothing a pod looks up leaves the machine. It listens on the host end of the
 * node's link, which every pod reaches through its default route. UDP only; answers fit.
 */
import * as dgram from 'dgram';
import * as packet from 'dns-packet';
import { ServiceWatch } from './service-watch';

export class ClusterDns {
  private socket?: dgram.Socket;

  constructor(private readonly address: string, private readonly services: ServiceWatch, private readonly domain = 'cluster.local') {}

  async start(): Promise<void> {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      try {
        const reply = this.answer(packet.decode(msg));
        socket.send(packet.encode(reply), rinfo.port, rinfo.address);
      } catch {
        /* a malformed query gets no answer */
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(53, this.address, () => resolve());
    });
    this.socket = socket;
  }

  /** A records for a name, or undefined when the name does not exist. */
  lookup(name: string): string[] | undefined {
    const suffix = `.svc.${this.domain}`;
    const n = name.toLowerCase().replace(/\.$/, '');
    if (!n.endsWith(suffix)) return undefined;
    const labels = n.slice(0, -suffix.length).split('.');
    const [host, service, namespace] = labels.length === 3 ? labels : [undefined, ...labels];
    if (!service || !namespace || labels.length > 3) return undefined;
    const svc = this.services.service(namespace, service);
    if (!svc) return undefined;
    const eps = this.services.endpoints(svc);
    if (host) {
      const hit = eps.filter((e) => e.hostname === host).map((e) => e.address);
      return hit.length ? hit : undefined;
    }
    if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return [svc.spec.clusterIP];
    return [...new Set(eps.map((e) => e.address))];
  }

  private answer(query: packet.Packet): packet.Packet {
    const q = query.questions?.[0];
    const base = { id: query.id, type: 'response' as const, flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | packet.AUTHORITATIVE_ANSWER, questions: query.questions };
    const records = q ? this.lookup(q.name) : undefined;
    if (!q || records === undefined) return { ...base, rcode: 'NXDOMAIN' } as packet.Packet;
    // AAAA and other types of an existing name: no data, as kube-dns says for an IPv4-only Service
    const answers = q.type === 'A' ? records.map((ip) => ({ type: 'A' as const, name: q.name, ttl: 5, data: ip })) : [];
    return { ...base, answers } as packet.Packet;
  }

  stop(): void {
    this.socket?.close();
  }
}
