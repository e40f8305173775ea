/**
 * kube-inject through the cluster's istiod: the revision's injector MutatingWebhookConfiguration
 * (labelled `istio.io/rev=<rev|default>`, as istioctl finds it; a revision tag's, labelled
 * `istio.io/tag=<tag>`, when the name is a tag) says which Service, port and path serve
 * `/inject`; each AdmissionReview goes there through the apiserver's service proxy, so no port
 * forward and no route to the pod network are needed. A webhook given by URL is called directly
 * with its caBundle.
 */
import * as https from 'https';
import { CommandFailed } from '../errors';
import { Kube, listJson, rawMessage, request } from '../kube';
import type { AdmissionResponse, AdmissionReview, InjectBackend } from './manifest';

const INJECTOR_WEBHOOK_SUFFIX = 'sidecar-injector.istio.io';

export interface InjectorEndpoint {
  /** The MWC the endpoint came from. */
  readonly webhookConfiguration: string;
  readonly service?: { namespace: string; name: string; port: number; path: string };
  readonly url?: string;
  readonly caBundle?: string;
}

/** Every revision something in the cluster names: injector webhooks and istiod Deployments. */
export async function revisionsFound(kube: Kube): Promise<string[]> {
  const revs = new Set<string>();
  const mwcs = await listJson(kube, '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=' + encodeURIComponent('app=sidecar-injector'));
  for (const m of mwcs) if (m.metadata.labels?.['istio.io/rev']) revs.add(m.metadata.labels['istio.io/rev']);
  const deployments = await listJson(kube, '/apis/apps/v1/deployments?labelSelector=' + encodeURIComponent('app=istiod'));
  for (const d of deployments) revs.add(d.metadata.labels?.['istio.io/rev'] ?? 'default');
  return [...revs].sort();
}

/** The injector endpoint of a revision (or revision tag), or a failure naming the revisions there are. */
export async function findInjector(kube: Kube, revision: string): Promise<InjectorEndpoint> {
  const base = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=';
  const own = (await listJson(kube, base + encodeURIComponent(`istio.io/rev=${revision}`)))
    // a revision's own webhook before the tags that point at it
    .sort((a, b) => Number('istio.io/tag' in (a.metadata.labels ?? {})) - Number('istio.io/tag' in (b.metadata.labels ?? {})));
  const candidates = own.length ? own : await listJson(kube, base + encodeURIComponent(`istio.io/tag=${revision}`));
  for (const mwc of candidates) {
    const hook = (mwc.webhooks ?? []).find((w: any) => typeof w.name === 'string' && w.name.endsWith(INJECTOR_WEBHOOK_SUFFIX));
    if (!hook) continue;
    const cc = hook.clientConfig ?? {};
    if (cc.service) {
      return {
        webhookConfiguration: mwc.metadata.name,
        service: { namespace: cc.service.namespace, name: cc.service.name, port: cc.service.port ?? 443, path: cc.service.path ?? '/' },
        caBundle: cc.caBundle,
      };
    }
    if (cc.url) return { webhookConfiguration: mwc.metadata.name, url: cc.url, caBundle: cc.caBundle };
  }
  const found = await revisionsFound(kube);
  throw new CommandFailed(
    `no istiod serves revision "${revision}": no MutatingWebhookConfiguration labelled istio.io/rev=${revision} (or istio.io/tag=${revision}) has a *.${INJECTOR_WEBHOOK_SUFFIX} webhook; ` +
      (found.length ? `revisions in the cluster: ${found.join(', ')} (pick one with --revision)` : 'no Istio control plane was found in the cluster (install istiod, or use --offline)'),
  );
}

function postDirect(url: string, caBundle: string | undefined, body: string, timeoutMs: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST',
      ca: caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: data });
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${timeoutMs / 1000} s`)));
    req.end(body);
  });
}

/** The backend that posts each review to the revision's istiod. */
export function onlineBackend(kube: Kube, endpoint: InjectorEndpoint, revision: string, timeoutMs = 20_000): InjectBackend {
  const where = endpoint.service
    ? `Service ${endpoint.service.namespace}/${endpoint.service.name}:${endpoint.service.port}${endpoint.service.path}`
    : endpoint.url!;
  return async (reviews: AdmissionReview[]): Promise<AdmissionResponse[]> => {
    const out: AdmissionResponse[] = [];
    for (const review of reviews) {
      let r: { status: number; body: any };
      try {
        if (endpoint.service) {
          const s = endpoint.service;
          const path = `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/services/https:${encodeURIComponent(s.name)}:${s.port}/proxy${s.path.startsWith('/') ? '' : '/'}${s.path}`;
          r = await request(kube, 'POST', path, { body: review, timeoutMs });
        } else {
          r = await postDirect(endpoint.url!, endpoint.caBundle, JSON.stringify(review), timeoutMs);
        }
      } catch (e) {
        throw new CommandFailed(`istiod (revision ${revision}, ${where}, from ${endpoint.webhookConfiguration}) did not answer: ${(e as Error).message}`);
      }
      if (r.status !== 200 || !r.body || typeof r.body !== 'object' || !r.body.response) {
        const why = `${rawMessage(r)}${r.status === 503 ? ' (is istiod running? its Service has no ready endpoint)' : ''}`;
        throw new CommandFailed(`istiod (revision ${revision}, ${where}) refused the injection request: ${why}`);
      }
      out.push(r.body.response as AdmissionResponse);
    }
    return out;
  };
}
