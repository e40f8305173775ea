/**
 * Sample workloads for the local cluster, in the shape of Istio's own samples: httpbin
 * (go-httpbin) behind a Service, and sleep (a curl image) as the client. `npm start` and the
 * traffic tests deploy them; each image is one the node runs for real (images.ts).
 */
/**
 * The identities in the x-forwarded-client-cert header that httpbin's /headers echoes back:
 * By= is the server's own, URI= the client its sidecar verified.
 */
export function clientIdentities(headers: Record<string, string[] | string | undefined>): { by?: string; uri?: string; raw: string } {
  const raw = [headers['X-Forwarded-Client-Cert'] ?? []].flat().join(',');
  return { by: /By=([^;,]+)/.exec(raw)?.[1], uri: /URI=([^;,]+)/.exec(raw)?.[1], raw };
}

export const HTTPBIN_IMAGE = 'docker.io/mccutchen/go-httpbin:v2.15.0';
export const CURL_IMAGE = 'docker.io/curlimages/curl:8.11.1';

export interface SampleOptions {
  readonly namespace: string;
  /** Deployment, Service and ServiceAccount name. @default httpbin */
  readonly name?: string;
  /** Labels of the pods besides `app` (e.g. `version: v1`). */
  readonly labels?: Record<string, string>;
  readonly replicas?: number;
  /** Pod annotations (e.g. `sidecar.istio.io/inject: "false"`). */
  readonly annotations?: Record<string, string>;
  /** Whether to create the Service. @default true */
  readonly service?: boolean;
  /** The Service's selector (default: `app: <name>`). */
  readonly app?: string;
  /** Extra /etc/hosts entries of the pods. */
  readonly hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  /** A preStop sleep on the container: it keeps serving that long after its pod is deleted. */
  readonly preStopSleepSeconds?: number;
}

const json = (o: unknown) => JSON.stringify(o);

function podTemplate(o: SampleOptions, app: string, container: object, serviceAccountName: string): object {
  return {
    metadata: { labels: { app, ...(o.labels ?? {}) }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      serviceAccountName,
      terminationGracePeriodSeconds: 5,
      containers: [o.preStopSleepSeconds ? { ...container, lifecycle: { preStop: { sleep: { seconds: o.preStopSleepSeconds } } } } : container],
      ...(o.hostAliases ? { hostAliases: o.hostAliases } : {}),
    },
  };
}

/** httpbin: a Deployment of go-httpbin on 8080 and a Service `http` on 8000. */
export function httpbin(o: SampleOptions): string {
  const name = o.name ?? 'httpbin';
  const app = o.app ?? name;
  const docs: object[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: o.namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: o.namespace },
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: { app, ...(o.labels ?? {}) } },
        template: podTemplate(o, app, { name: 'httpbin', image: HTTPBIN_IMAGE, ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { httpGet: { path: '/status/200', port: 8080 }, periodSeconds: 2 } }, name),
      },
    },
  ];
  if (o.service !== false) docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: o.namespace, labels: { app } }, spec: { selector: { app }, ports: [{ name: 'http', port: 8000, targetPort: 8080 }] } });
  return docs.map(json).join('\n---\n');
}

/** sleep: a curl client that does nothing until exec'd into. */
export function sleep(o: SampleOptions): string {
  const name = o.name ?? 'sleep';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: o.namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: o.namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: podTemplate(o, name, { name: 'sleep', image: CURL_IMAGE, command: ['/bin/sleep', 'infinity'] }, name),
      },
    },
  ]
    .map(json)
    .join('\n---\n');
}

export const ECHO_IMAGE = 'gcr.io/istio-testing/app:1.31.4';

/**
 * Istio's echo test app (the workload of upstream's integration tests): answers HTTP on 8080
 * with what it saw, one `Key=value` per line (ServiceVersion, Hostname, headers, ...).
 * Several versions share one Service `app` for routing tests.
 */
export function echo(o: SampleOptions & { version: string }): string {
  const app = o.app ?? 'echo';
  const name = o.name ?? `${app}-${o.version}`;
  const docs: object[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: o.namespace },
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: { app, version: o.version } },
        template: podTemplate({ ...o, labels: { version: o.version, ...(o.labels ?? {}) } }, app, { name: 'app', image: ECHO_IMAGE, args: ['--port=8080', '--grpc=7070', '--tcp=9090', `--version=${o.version}`], ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 } }, 'default'),
      },
    },
  ];
  if (o.service !== false) docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: o.namespace, labels: { app } }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  return docs.map(json).join('\n---\n');
}

/**
 * An Istio Gateway on the ingress gateway's port 80 for one host, and the VirtualService
 * that routes it to a Service of the namespace.
 */
export function ingressRoute(o: { namespace: string; name: string; host: string; service: string; port: number; selector?: Record<string, string> }): string {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: o.name, namespace: o.namespace },
      spec: { selector: o.selector ?? { istio: 'ingress' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [o.host] }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: o.name, namespace: o.namespace },
      spec: { hosts: [o.host], gateways: [o.name], http: [{ route: [{ destination: { host: o.service, port: { number: o.port } } }] }] },
    },
  ]
    .map(json)
    .join('\n---\n');
}
