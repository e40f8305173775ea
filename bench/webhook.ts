/**
 * Webhook latency through the real istiod on the local cluster: the same pod injected N times
 * (1) as an AdmissionReview sent straight to istiod's webhook port (15017, the pod address is
 * routed to the host) on the path its MutatingWebhookConfiguration names, verified with the CA
 * bundle istiod patched in, over one kept-alive connection as the apiserver uses; and (2) as a
 * server-side dry-run create through the apiserver in an injected namespace (admission runs,
 * nothing is stored). Requests go one at a time; a few unmeasured ones warm both paths first.
 */
import * as https from 'https';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { reviewFor } from '../src/cli/inject/manifest';
import { ControlPlane } from '../src/cluster/control-plane';
import { LocalIstiod } from '../src/cluster/istiod';
import { createNamespace } from '../test/support/cluster';
import { Figure, Summary, Verdict, fmt, summarize, table, verdict } from './stats';

const WARMUP = 20;
export const BENCH_NAMESPACE = 'bench-injected';

/** The plain pod of the compat tests, without its ServiceAccount (the namespace has only `default`). */
function plainDeployment(): any {
  const d = YAML.parse(readFileSync(join(__dirname, '..', 'test', 'compat', 'pods', 'plain.yaml'), 'utf8'));
  delete d.spec.template.spec.serviceAccountName;
  d.metadata.namespace = BENCH_NAMESPACE;
  return d;
}

interface Injector {
  readonly path: string;
  readonly ca: Buffer;
  readonly serverName: string;
}

/** The default revision's injection webhook: its path, CA bundle and the Service name its certificate is for. */
async function injector(cp: ControlPlane): Promise<Injector> {
  const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent('istio.io/rev=default')}`);
  const hook = list.items.flatMap((m: any) => m.webhooks ?? []).find((w: any) => String(w.name).endsWith('sidecar-injector.istio.io') && w.clientConfig?.service);
  if (!hook) throw new Error('no sidecar injector webhook of the default revision');
  const svc = hook.clientConfig.service;
  return { path: svc.path ?? '/inject', ca: Buffer.from(hook.clientConfig.caBundle, 'base64'), serverName: `${svc.name}.${svc.namespace}.svc` };
}

function post(agent: https.Agent, address: string, inj: Injector, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: address, port: 15017, path: inj.path, method: 'POST', agent, servername: inj.serverName, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST https://${address}:15017${inj.path} timed out`)));
    req.end(body);
  });
}

async function timed(n: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await once();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await once();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return ms;
}

export interface WebhookLatency {
  readonly direct: Summary;
  readonly dryRun: Summary;
}

/** The injected namespace the dry runs go to (created once per cluster). */
export async function prepareNamespace(cp: ControlPlane): Promise<void> {
  if (!(await cp.get(`/api/v1/namespaces/${BENCH_NAMESPACE}`))) await createNamespace(cp, BENCH_NAMESPACE, { 'istio-injection': 'enabled' });
}

export async function measureWebhook(cp: ControlPlane, istiod: LocalIstiod, n: number): Promise<WebhookLatency> {
  const inj = await injector(cp);
  const deployment = plainDeployment();
  const review = JSON.stringify(reviewFor(deployment, BENCH_NAMESPACE));
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: inj.ca });
  try {
    const direct = await timed(n, async () => {
      const r = await post(agent, istiod.address, inj, review);
      if (r.status !== 200 || !JSON.parse(r.text).response?.patch) throw new Error(`istiod /inject answered ${r.status} without a patch: ${r.text.slice(0, 300)}`);
    });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...deployment.spec.template.metadata, name: 'web-bench', namespace: BENCH_NAMESPACE }, spec: deployment.spec.template.spec };
    const dryRun = await timed(n, async () => {
      const r = await cp.api('POST', `/api/v1/namespaces/${BENCH_NAMESPACE}/pods?dryRun=All`, pod);
      if (r.status !== 201 || !r.body.spec.containers.some((c: any) => c.name === 'istio-proxy') && !(r.body.spec.initContainers ?? []).some((c: any) => c.name === 'istio-proxy')) {
        throw new Error(`dry-run create was not injected: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    });
    return { direct: summarize(direct), dryRun: summarize(dryRun) };
  } finally {
    agent.destroy();
  }
}

export function webhookFigure(ours: WebhookLatency, upstream: WebhookLatency): Figure {
  const verdicts: Verdict[] = [];
  const rows: string[][] = [['', 'p50 ours', 'upstream', 'ratio', 'p99 ours', 'upstream', 'ratio', 'min-max ours', 'upstream', 'n']];
  for (const [what, o, u] of [
    ['direct AdmissionReview to istiod /inject', ours.direct, upstream.direct],
    ['server-side dry-run create via apiserver', ours.dryRun, upstream.dryRun],
  ] as Array<[string, Summary, Summary]>) {
    rows.push([
      what,
      fmt.ms(o.median),
      fmt.ms(u.median),
      (o.median / u.median).toFixed(2),
      fmt.ms(o.p99),
      fmt.ms(u.p99),
      (o.p99 / u.p99).toFixed(2),
      `${fmt.ms(o.min)}-${fmt.ms(o.max)}`,
      `${fmt.ms(u.min)}-${fmt.ms(u.max)}`,
      `${o.n} / ${u.n}`,
    ]);
    verdicts.push(verdict({ what: `webhook p50, ${what}`, maxRatio: 0.8 }, o.median, u.median, fmt.ms));
    verdicts.push(verdict({ what: `webhook p99, ${what}`, maxRatio: 0.8 }, o.p99, u.p99, fmt.ms));
  }
  const text = ['the plain pod, sequential requests after ' + WARMUP + ' unmeasured ones; istiod installed from each side\'s charts in turn', table(rows)].join('\n');
  return { title: 'Webhook latency', text, verdicts };
}
