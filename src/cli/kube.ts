/**
 * The cluster the CLI talks to, through @kubernetes/client-node (1.4.x, the line that loads on
 * Node 20): any kubeconfig ($KUBECONFIG, ~/.kube/config, in-cluster), or --kubeconfig, and
 * --context. Helm gets the same two flags, so both reach the same cluster.
 */
import type * as k8s from '@kubernetes/client-node';

export type { k8s };

/** client-node, loaded on first use: it takes longer to load than the verbs that need no cluster take to run. */
function clientNode(): typeof k8s {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node') as typeof k8s;
}

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
  const k8s = clientNode();
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

/**
 * A raw API request, for objects that must reach the server exactly as rendered:
 * client-node's typed serializer drops fields its models spell differently (a CRD's
 * `x-kubernetes-*` schema keys), which a dry-run apply would then report as changes.
 */
export async function rawRequest(
  kube: Kube,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const https = await import('https');
  const http = await import('http');
  const server = new URL(kube.config.getCurrentCluster()?.server ?? '');
  const opts: import('https').RequestOptions = { method, hostname: server.hostname, port: server.port, path, headers: { Accept: 'application/json' } };
  await kube.config.applyToHTTPSOptions(opts);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  if (payload !== undefined) opts.headers = { ...opts.headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) };
  const lib = server.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.end(payload);
  });
}

export interface ResourceInfo {
  /** the collection path, e.g. /apis/apps/v1/namespaces/istio-system/deployments */
  readonly collection: string;
  readonly namespaced: boolean;
}

/** Where objects of a kind live, from the server's discovery; undefined when the server does not serve the kind. */
export async function resourceOf(kube: Kube, apiVersion: string, kind: string, namespace?: string): Promise<ResourceInfo | undefined> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const cached = discovery.get(base) ?? (await rawRequest(kube, 'GET', base)).body;
  discovery.set(base, cached);
  const resource = (cached?.resources as Array<{ name: string; kind: string; namespaced: boolean }> | undefined)?.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!resource) return undefined;
  const scope = resource.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return { collection: `${base}${scope}/${resource.name}`, namespaced: resource.namespaced };
}
const discovery = new Map<string, any>();
