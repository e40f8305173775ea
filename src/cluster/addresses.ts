/**
 * The address plan of a local cluster. Every address comes from TEST-NET-2, 198.51.100.0/24
 * (RFC 5737), which no real network routes, and is routed only between the cluster's own
 * network namespaces and this host. The other two documentation ranges are left alone: a
 * sandbox may use them itself (this kind of machine has its own address in 192.0.2.0/24 and
 * its package proxy in 203.0.113.0/24), and a route of ours there would cut it off. Inside
 * the node namespace, all three ranges are blackholed except what the cluster owns, so a
 * packet that escapes capture is dropped rather than sent anywhere.
 *
 * A machine runs at most CLUSTER_SLOTS clusters at once; slot s owns 198.51.100.128s/25:
 *   +0/30     the host link: host end +1, node namespace +2 (apiserver, node InternalIP, pods' gateway)
 *   +4..+63   pods the node runs
 *   +64/28    kwok's pods (addresses only: nothing routes them); +65, the kwok node's own address,
 *             is a local address of the node namespace, where the kubelet API says its pods are simulated
 *   +80..+95  LoadBalancer addresses
 *   +96/27    Service ClusterIPs (the first is the `kubernetes` Service)
 *
 * A cluster that needs more (the Gateway API conformance suite ran out of a slot's 30 Services)
 * takes the whole range instead, and with it every slot, so it runs alone (wholeRangePlan):
 *   .0/30     the host link, as above
 *   .4..127   pods the node runs (124)
 *   .128/27   kwok's pods; .129 the kwok node's address
 *   .160..191 LoadBalancer addresses (32)
 *   .192/26   Service ClusterIPs (62)
 */
export const CLUSTER_SLOTS = 2;

export const CLUSTER_RANGE = '198.51.100.0/24';
export const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] as const;

export interface AddressPlan {
  /** The slot whose namespace (icp-<slot>) the cluster runs in. */
  readonly slot: number;
  /** Every slot the plan's addresses overlap: other clusters are kept out of them. */
  readonly slots: readonly number[];
  /** Everything this cluster owns; the host routes it to the node namespace. */
  readonly cidr: string;
  /** Host end of the node namespace's link. */
  readonly hostAddress: string;
  /** The node namespace's own address: apiserver, node InternalIP, gateway of every pod. */
  readonly nodeAddress: string;
  readonly podCidr: string;
  readonly kwokPodCidr: string;
  /** The kwok node's InternalIP: where the apiserver dials its kubelet API. */
  readonly kwokNodeAddress: string;
  readonly serviceCidr: string;
  /** The `kubernetes` Service's ClusterIP (the first of the range, as the apiserver picks it). */
  readonly kubernetesServiceIp: string;
  /** The pod addresses the node hands out, in order. */
  readonly podAddresses: readonly string[];
  readonly loadBalancerAddresses: readonly string[];
}

/** Where each pool lies in a plan's share of the range, as offsets from its first address. */
interface Layout {
  readonly prefix: number;
  readonly pods: readonly [number, number];
  readonly podPrefix: number;
  readonly kwok: readonly [number, number];
  readonly services: readonly [number, number];
  readonly loadBalancers: readonly [number, number];
}

/** The pools of one slot and of the whole range: the tables above. */
const SLOT_LAYOUT: Layout = { prefix: 25, pods: [4, 63], podPrefix: 26, kwok: [64, 28], services: [96, 27], loadBalancers: [80, 95] };
const WHOLE_RANGE_LAYOUT: Layout = { prefix: 24, pods: [4, 127], podPrefix: 25, kwok: [128, 27], services: [192, 26], loadBalancers: [160, 191] };

function planOf(base: number, slot: number, slots: number[], l: Layout): AddressPlan {
  const at = (offset: number) => `198.51.100.${base + offset}`;
  const range = ([from, to]: readonly [number, number]) => Array.from({ length: to - from + 1 }, (_, i) => at(from + i));
  return {
    slot,
    slots,
    cidr: `${at(0)}/${l.prefix}`,
    hostAddress: at(1),
    nodeAddress: at(2),
    podCidr: `${at(0)}/${l.podPrefix}`,
    kwokPodCidr: `${at(l.kwok[0])}/${l.kwok[1]}`,
    kwokNodeAddress: at(l.kwok[0] + 1),
    serviceCidr: `${at(l.services[0])}/${l.services[1]}`,
    kubernetesServiceIp: at(l.services[0] + 1),
    podAddresses: range(l.pods),
    loadBalancerAddresses: range(l.loadBalancers),
  };
}

export function addressPlan(slot: number): AddressPlan {
  if (!Number.isInteger(slot) || slot < 0 || slot >= CLUSTER_SLOTS) throw new Error(`cluster slot ${slot} is outside 0..${CLUSTER_SLOTS - 1}`);
  return planOf(128 * slot, slot, [slot], SLOT_LAYOUT);
}

/** The plan of a cluster that takes all of TEST-NET-2 (and so every slot; it runs in slot 0). */
export function wholeRangePlan(): AddressPlan {
  return planOf(0, 0, Array.from({ length: CLUSTER_SLOTS }, (_, i) => i), WHOLE_RANGE_LAYOUT);
}
