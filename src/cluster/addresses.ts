/**
 * The address plan of a local cluster. Everything comes from the documentation ranges of
 * RFC 5737, which no real network routes, and is routed only between the cluster's own
 * network namespaces and this host; the rest of each range is a blackhole, so a packet that
 * escapes capture is dropped here rather than sent anywhere.
 *
 * A machine runs at most CLUSTER_SLOTS clusters at once; slot s owns:
 *   198.51.100.4s/30      the node namespace (control plane, kubelet side of every pod veth) and its host link
 *   192.0.2.64s/26        pods: .64s+2 .. .64s+47 run here for real, .64s+48/28 is kwok's
 *   203.0.113.64s/27      Service ClusterIPs (the first is the `kubernetes` Service)
 *   203.0.113.64s+32/27   LoadBalancer addresses
 */
export const CLUSTER_SLOTS = 4;

export const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] as const;

export interface AddressPlan {
  readonly slot: number;
  /** Host end of the node namespace's link. */
  readonly hostAddress: string;
  /** The node namespace's own address: apiserver, node InternalIP, gateway of every pod. */
  readonly nodeAddress: string;
  readonly podCidr: string;
  readonly kwokPodCidr: string;
  readonly serviceCidr: string;
  /** The `kubernetes` Service's ClusterIP (the first of the range, as the apiserver picks it). */
  readonly kubernetesServiceIp: string;
  readonly loadBalancerCidr: string;
  /** The pod addresses the node hands out, in order. */
  readonly podAddresses: readonly string[];
  readonly loadBalancerAddresses: readonly string[];
  /** What the host routes to the node namespace. */
  readonly hostRoutes: readonly string[];
}

export function addressPlan(slot: number): AddressPlan {
  if (!Number.isInteger(slot) || slot < 0 || slot >= CLUSTER_SLOTS) throw new Error(`cluster slot ${slot} is outside 0..${CLUSTER_SLOTS - 1}`);
  const p = 64 * slot;
  const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}.${from + i}`);
  return {
    slot,
    hostAddress: `198.51.100.${4 * slot + 1}`,
    nodeAddress: `198.51.100.${4 * slot + 2}`,
    podCidr: `192.0.2.${p}/26`,
    kwokPodCidr: `192.0.2.${p + 48}/28`,
    serviceCidr: `203.0.113.${p}/27`,
    kubernetesServiceIp: `203.0.113.${p + 1}`,
    loadBalancerCidr: `203.0.113.${p + 32}/27`,
    podAddresses: range('192.0.2', p + 2, p + 47),
    loadBalancerAddresses: range('203.0.113', p + 33, p + 62),
    hostRoutes: [`192.0.2.${p}/26`, `203.0.113.${p}/26`],
  };
}
