/**
 * The cluster the CLI talks to, through @kubernetes/client-node (1.4.x, the line that loads on
 * Node 20): any kubeconfig ($KUBECONFIG, ~/.kube/config, in-cluster), or --kubeconfig, and
 * --context. Helm gets the same two flags, so both reach the same cluster.
 */
import * as http from 'http';
import * as https from 'https';
import type * as k8s from '@kubernetes/client-node';
import { existsSync } from 'fs';
import { readJsonBody } from '../cluster/http';
import { describeRequest, retryTransient } from '../cluster/retry';
import { UsageError } from './errors';

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

/** What connect makes from client-node, besides helm's flags. */
const CLIENTS = ['config', 'core', 'apps', 'admission', 'rbac', 'authz', 'ext', 'version', 'objects'] as const satisfies ReadonlyArray<keyof Kube>;

/**
 * The cluster's clients. With `lazy`, they are made on first use: loading client-node takes most
 * of a second, which `install` spends starting helm instead (helm needs only `helmFlags`); a
 * missing `--kubeconfig` file still fails at once, an unknown `--context` when they are made.
 */
export function connect(opts: KubeOptions, { lazy = false } = {}): Kube {
  if (opts.kubeconfig && !existsSync(opts.kubeconfig)) throw new UsageError(`--kubeconfig ${opts.kubeconfig}: no such file`);
  const helmFlags = [...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : []), ...(opts.context ? ['--kube-context', opts.context] : [])];
  let clients: Omit<Kube, 'helmFlags'> | undefined;
  const made = () => (clients ??= makeClients(opts));
  if (!lazy) made();
  const kube = { helmFlags } as Kube;
  for (const key of CLIENTS) Object.defineProperty(kube, key, { get: () => made()[key], enumerable: true });
  return kube;
}

function makeClients(opts: KubeOptions): Omit<Kube, 'helmFlags'> {
  const k8s = clientNode();
  const config = new k8s.KubeConfig();
  if (opts.kubeconfig) config.loadFromFile(opts.kubeconfig);
  else config.loadFromDefault();
  if (opts.context) {
    if (!config.getContextObject(opts.context)) {
      throw new UsageError(`--context ${opts.context}: no such context in the kubeconfig (contexts: ${config.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    config.setCurrentContext(opts.context);
  }
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

export interface RawResponse {
  readonly status: number;
  /** Parsed JSON when the reply was JSON, else the text. */
  readonly body: any;
}

/**
 * One request to the apiserver with the kubeconfig's credentials, JSON in and out, bounded by
 * `timeoutMs`. For what the typed clients do not cover (service proxies, objects passed through
 * untouched); a transport failure rejects, an HTTP error status resolves.
 */
export async function request(kube: Kube, method: string, path: string, opts: { body?: unknown; timeoutMs?: number; contentType?: string } = {}): Promise<RawResponse> {
  const cluster = kube.config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const options: https.RequestOptions = { method, headers: { accept: 'application/json' } };
  try {
    await kube.config.applyToHTTPSOptions(options);
  } catch (e) {
    throw new Error(`cannot use the cluster at ${cluster.server}: ${(e as Error).message}`);
  }
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  if (payload !== undefined) Object.assign(options.headers!, { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // a connection reset or refused is tried again briefly (an apiserver restarting); errors name the request
  return retryTransient(describeRequest(method, path, opts.body), () => requestOnce(url, options, payload, timeoutMs, cluster.server), CLI_RETRY);
}

/** Retries of a CLI request: short, a user waits on a cluster that may simply be down. */
const CLI_RETRY = { attempts: 4, totalMs: 5_000 };

function requestOnce(url: URL, options: https.RequestOptions, payload: string | undefined, timeoutMs: number, server: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // the kubeconfig's agent carries its TLS settings and proxy; plain http needs none
    const plain = url.protocol === 'http:';
    const req = (plain ? http : https).request(url, { ...options, agent: plain ? undefined : options.agent, timeout: timeoutMs }, (res) => readJsonBody(res).then(resolve, reject));
    req.on('error', (e: Error & { code?: string }) => reject(Object.assign(new Error(`cannot reach the Kubernetes API at ${server}: ${e.message}`), { code: e.code })));
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${timeoutMs / 1000} s`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The message of a failed raw request: the Status the apiserver sent, or the text. */
export function rawMessage(r: RawResponse): string {
  if (r.body && typeof r.body === 'object' && typeof r.body.message === 'string') return r.body.message;
  const text = typeof r.body === 'string' ? r.body.trim() : JSON.stringify(r.body);
  return `HTTP ${r.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/** GET of a JSON object; undefined on 404; other failures throw with the apiserver's message. */
export async function getJson(kube: Kube, path: string, timeoutMs?: number): Promise<any | undefined> {
  const r = await request(kube, 'GET', path, { timeoutMs });
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new ApiError(`GET ${path.split('?')[0]}: ${rawMessage(r)}`, r.status);
  return r.body;
}

/** The items of a list; [] when the API (a CRD, say) is not served. */
export async function listJson(kube: Kube, path: string, timeoutMs?: number): Promise<any[]> {
  return ((await getJson(kube, path, timeoutMs))?.items ?? []) as any[];
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export interface ResourceInfo {
  /** the collection path, e.g. /apis/apps/v1/namespaces/istio-system/deployments */
  readonly collection: string;
  readonly namespaced: boolean;
}

const discovery = new Map<string, any>();

/** Where objects of a kind live, from the server's discovery; undefined when the server does not serve the kind. */
export async function resourceOf(kube: Kube, apiVersion: string, kind: string, namespace?: string): Promise<ResourceInfo | undefined> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (!discovery.has(base)) discovery.set(base, (await request(kube, 'GET', base)).body);
  const resources = discovery.get(base)?.resources as Array<{ name: string; kind: string; namespaced: boolean }> | undefined;
  const resource = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!resource) return undefined;
  const scope = resource.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return { collection: `${base}${scope}/${resource.name}`, namespaced: resource.namespaced };
}
