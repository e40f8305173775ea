/**
 * The node's kubelet API (`kubectl exec`, `logs`, `port-forward`, the node proxy), served on
 * port 10250 of the node's InternalIP by kubelet-api/main.go, a Go program on Kubernetes' own
 * streaming, log-reading and delegated auth packages. It runs in the node's network namespace
 * and asks the node agent, per request, what a container is: `containerView` answers that.
 *
 * The kwok node's InternalIP is a local address of the node namespace too, so the apiserver's
 * requests for a kwok pod reach the same program, and the agent answers that the pod is
 * simulated and why, as it does for the pods it simulates itself.
 */
import { join } from 'path';
import type { V1Pod } from '@kubernetes/client-node';
import { runnableImage } from '../images';
import { KubeClients, statusOf } from '../kube';
import { goBuildProgram } from '../../tools/go';
import { SIMULATED } from './simulation';

/** The kubelet's port, in the Node's status.daemonEndpoints. */
export const KUBELET_PORT = 10250;

/** What the kubelet API asks of a container (see kubelet-api/main.go's `container`). */
export interface ContainerView {
  readonly netns: string;
  readonly prefix: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly logPath: string;
  readonly instance: number;
  readonly running: boolean;
}

/** An answer the kubelet API passes on to the client: HTTP status and one line. */
export class KubeletApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The Go module versions it is built from: the cluster's Kubernetes line (v1.36.3's staging modules). */
const KUBELET_API_REQUIRES = [
  { path: 'k8s.io/cri-streaming', version: 'v0.36.3' },
  { path: 'k8s.io/cri-client', version: 'v0.36.3' },
  { path: 'k8s.io/cri-api', version: 'v0.36.3' },
  { path: 'k8s.io/apiserver', version: 'v0.36.3' },
  { path: 'k8s.io/client-go', version: 'v0.36.3' },
  { path: 'github.com/creack/pty', version: 'v1.1.24' },
];

/** The kubelet API program, built once per source version into the cache. */
export function kubeletApiBinary(): string {
  return goBuildProgram({ label: 'the node kubelet API', main: join(__dirname, 'kubelet-api', 'main.go'), requires: KUBELET_API_REQUIRES, key: 'kubelet-api', binary: 'kubelet-api' });
}

/** Anything that runs a pod on this node: a PodRunner, or the view of a simulated one. */
export interface NodePods {
  view(namespace: string, name: string): { container(name: string, previous: boolean): ContainerView } | { simulated: string } | undefined;
}

/**
 * The node agent's answer for `namespace/pod` `container`: the view of a pod it runs, or a
 * KubeletApiError saying the pod is simulated (here or on a kwok node, and why) or not here.
 */
export async function containerView(clients: KubeClients, pods: NodePods, nodeName: string, namespace: string, name: string, container: string, previous: boolean): Promise<ContainerView> {
  const local = pods.view(namespace, name);
  if (local && 'simulated' in local) throw new KubeletApiError(400, `pod ${namespace}/${name} is ${SIMULATED} (${local.simulated}): no process runs, so it has no logs, exec or ports`);
  if (local) return local.container(container, previous);
  let pod: V1Pod;
  try {
    pod = await clients.core.readNamespacedPod({ namespace, name });
  } catch (e) {
    if (statusOf(e) === 404) throw new KubeletApiError(404, `pod ${namespace}/${name} not found`);
    throw e;
  }
  const node = pod.spec?.nodeName;
  if (node && node !== nodeName) {
    const missing = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '').filter((image) => !runnableImage(image));
    const why = missing.length ? `no program stands in for ${missing.join(', ')}` : `the pod's DaemonSet runs it for real on ${nodeName}`;
    throw new KubeletApiError(400, `pod ${namespace}/${name} is simulated by kwok on ${node} (${why}): no process runs, so it has no logs, exec or ports`);
  }
  throw new KubeletApiError(404, `pod ${namespace}/${name} does not run on ${nodeName} (yet)`);
}
