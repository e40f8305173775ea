/**
 * The Kubernetes API clients the cluster's own agents use (node agent, kube-proxy, DNS,
 * load balancer): @kubernetes/client-node, the project's client library, on the admin
 * kubeconfig. 1.4.x is the line that loads on Node 20 (2.x needs Node 22).
 */
import * as k8s from '@kubernetes/client-node';

export { k8s };

export interface KubeClients {
  readonly config: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  readonly coordination: k8s.CoordinationV1Api;
  readonly discovery: k8s.DiscoveryV1Api;
}

export function kubeClients(kubeconfig: string): KubeClients {
  const config = new k8s.KubeConfig();
  config.loadFromFile(kubeconfig);
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    coordination: config.makeApiClient(k8s.CoordinationV1Api),
    discovery: config.makeApiClient(k8s.DiscoveryV1Api),
  };
}

/** Options for a JSON merge patch (client-node sends JSON Patch unless told). */
export const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a client-node error, if it has one. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A list-and-watch cache of one resource, restarted after watch errors (an informer that
 * stops silently would leave the cluster frozen).
 */
export function watchAll<T extends k8s.KubernetesObject>(
  clients: KubeClients,
  path: string,
  list: () => Promise<k8s.KubernetesListObject<T>>,
  onChange: (kind: 'add' | 'update' | 'delete', obj: T) => void,
  fieldSelector?: string,
): { informer: k8s.Informer<T> & k8s.ObjectCache<T>; stop: () => Promise<void> } {
  const informer = new k8s.ListWatch<T>(path, new k8s.Watch(clients.config), list, false, undefined, fieldSelector);
  let stopped = false;
  informer.on('add', (o) => onChange('add', o));
  informer.on('update', (o) => onChange('update', o));
  informer.on('delete', (o) => onChange('delete', o));
  informer.on('error', () => {
    if (!stopped) setTimeout(() => void (stopped || informer.start().catch(() => undefined)), 1000).unref();
  });
  return {
    informer,
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}
