/**
 * The cluster the CLI talks to, through @kubernetes/client-node (1.4.x, the line that loads on
 * Node 20): any kubeconfig ($KUBECONFIG, ~/.kube/config, in-cluster), or --kubeconfig, and
 * --context. Helm gets the same two flags, so both reach the same cluster.
 */
import * as k8s from '@kubernetes/client-node';

export { k8s };

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
}

export interface Kube {
  readonly config: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly admission: k8s.AdmissionregistrationV1Api;
  readonly rbac: k8s.RbacAuthorizationV1Api;
  readonly authz: k8s.AuthorizationV1Api;
  readonly ext: k8s.ApiextensionsV1Api;
  readonly version: k8s.VersionApi;
  readonly objects: k8s.KubernetesObjectApi;
  /** The flags that point helm at the same cluster. */
  readonly helmFlags: string[];
}

export function connect(opts: KubeOptions): Kube {
  const config = new k8s.KubeConfig();
  if (opts.kubeconfig) config.loadFromFile(opts.kubeconfig);
  else config.loadFromDefault();
  if (opts.context) {
    if (!config.getContextObject(opts.context)) {
      throw new Error(`--context ${opts.context}: no such context in the kubeconfig (contexts: ${config.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    config.setCurrentContext(opts.context);
  }
  const helmFlags = [...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : []), ...(opts.context ? ['--kube-context', opts.context] : [])];
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    admission: config.makeApiClient(k8s.AdmissionregistrationV1Api),
    rbac: config.makeApiClient(k8s.RbacAuthorizationV1Api),
    authz: config.makeApiClient(k8s.AuthorizationV1Api),
    ext: config.makeApiClient(k8s.ApiextensionsV1Api),
    version: config.makeApiClient(k8s.VersionApi),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
    helmFlags,
  };
}

/** The HTTP status of a client-node error, if it has one. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A client-node error as one line: the API's own message when it sent a Status. */
export function describeError(e: unknown): string {
  const body = (e as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: string };
      if (status.message) return status.message;
    } catch {
      /* not JSON */
    }
  }
  return e instanceof Error ? e.message : String(e);
}
