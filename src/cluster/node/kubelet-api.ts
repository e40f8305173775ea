/**
 * The node's kubelet API (`kubectl exec`, `logs`, `port-forward`, the node proxy), served on
 * port 10250 of the node's InternalIP by kubelet-api/main.go, a Go program on Kubernetes' own
 * streaming, log-reading and delegated auth packages. It runs in the node's network namespace
 * and asks the node agent, per request, what a container is (NodeAgent.containerView).
 *
 * The kwok node's InternalIP is a local address of the node namespace too, so the apiserver's
 * requests for a kwok pod reach the same program, and the agent answers that the pod is
 * simulated and why, as it does for the pods it simulates itself.
 *
 * This module loads without the Kubernetes client: the harness (cluster.ts) builds the program.
 */
import { join } from 'path';
import { goBuildProgram } from '../../tools/go';

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
