/**
 * Webhook latency through the real istiod on the local cluster: the same pod injected N times
 * (1) as an AdmissionReview sent straight to istiod's webhook port (15017, the pod address is
 * routed to the host) on the path its MutatingWebhookConfiguration names, verified with the CA
 * bundle istiod patched in, over one kept-alive connection as the apiserver uses; and (2) as a
 * server-side dry-run create through the apiserver in an injected namespace (admission runs,
 * nothing is stored). Both istiods run at once (ours as the default revision, upstream's as
 * revision `upstream`, beside our base chart) and the requests alternate between them one at a
 * time, so load on the machine falls on both alike; a few unmeasured ones warm every path first.
 */
import * as https from 'https';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { reviewFor } from '../src/cli/inject/manifest';
import { ControlPlane } from '../src/cluster/control-plane';
import { LocalIstiod, UPSTREAM_ENVOY_VALUES, waitForIstiod } from '../src/cluster/istiod';
import { createNamespace } from '../test/support/cluster';
import type { Side } from './install';
import { SAME_IMAGES, chartPath } from './render';
import { Figure, Summary, Verdict, fmt, summarize, table, verdict } from './stats';

const WARMUP = 20;
/** The revision upstream's istiod runs as, beside ours (the default revision). */
export const UPSTREAM_REVISION = 'upstream';
/** The injected namespace of each side. */
const NAMESPACES: Record<Side, { name: string; labels: Record<string, string> }> = {
  ours: { name: 'bench-ours', labels: { 'istio-injection': 'enabled' } },
  upstream: { name: 'bench-upstream', labels: { 'istio.io/rev': UPSTREAM_REVISION } },
};

/** The plain pod of the compat tests, without its ServiceAccount (the namespace has only `default`). */
function plainDeployment(namespace: string): any {
  const d = YAML.parse(readFileSync(join(__dirname, '..', 'test', 'compat', 'pods', 'plain.yaml'), 'utf8'));
  delete d.spec.template.spec.serviceAccountName;
  d.metadata.namespace = namespace;
  return d;
}

interface Injector {
  readonly path: string;
  readonly ca: Buffer;
  readonly serverName: string;
}

/** A revision's injection webhook: its path, CA bundle and the Service name its certificate is for. */
async function injector(cp: ControlPlane, revision: string): Promise<Injector> {
  const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent(`istio.io/rev=${revision}`)}`);
  const hook = list.items.flatMap((m: any) => m.webhooks ?? []).find((w: any) => String(w.name).endsWith('sidecar-injector.istio.io') && w.clientConfig?.service);
  if (!hook) throw new Error(`no sidecar injector webhook of revision ${revision}`);
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

/** Runs each side's request in turn, n times after the warm-up; returns each side's times in ms. */
async function alternating(n: number, once: Record<Side, () => Promise<void>>): Promise<Record<Side, number[]>> {
  const ms: Record<Side, number[]> = { ours: [], upstream: [] };
  for (let i = 0; i < WARMUP + n; i++) {
    // who goes first alternates too
    for (const side of (i % 2 ? ['upstream', 'ours'] : ['ours', 'upstream']) as Side[]) {
      const started = process.hrtime.bigint();
      await once[side]();
      if (i >= WARMUP) ms[side].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return ms;
}

export interface WebhookLatency {
  readonly direct: Summary;
  readonly dryRun: Summary;
}

/**
 * Installs what the figure needs on a cluster with nothing of Istio: our base chart, our
 * istiod (default revision) and upstream's as revision `upstream`, and a namespace injected by
 * each. Returns both istiods, serving.
 */
export async function installBoth(cp: ControlPlane): Promise<Record<Side, LocalIstiod>> {
  const helm = (args: string[]) => {
    const r = cp.helm(args);
    if (r.status !== 0) throw new Error(`helm ${args.slice(0, 3).join(' ')} failed:\n${r.stderr}`);
  };
  helm(['install', 'istio-base', chartPath('ours', 'base'), '-n', 'istio-system', '--create-namespace', ...SAME_IMAGES]);
  helm(['install', 'istiod', chartPath('ours', 'istiod'), '-n', 'istio-system', '-f', UPSTREAM_ENVOY_VALUES, ...SAME_IMAGES]);
  helm(['install', `istiod-${UPSTREAM_REVISION}`, chartPath('upstream', 'istiod'), '-n', 'istio-system', '-f', UPSTREAM_ENVOY_VALUES, ...SAME_IMAGES, '--set', `revision=${UPSTREAM_REVISION}`]);
  for (const ns of Object.values(NAMESPACES)) if (!(await cp.get(`/api/v1/namespaces/${ns.name}`))) await createNamespace(cp, ns.name, ns.labels);
  return { ours: await waitForIstiod(cp, { timeoutMs: 300_000 }), upstream: await waitForIstiod(cp, { revision: UPSTREAM_REVISION, timeoutMs: 300_000 }) };
}

export async function measureWebhook(cp: ControlPlane, istiods: Record<Side, LocalIstiod>, n: number): Promise<Record<Side, WebhookLatency>> {
  const agents: https.Agent[] = [];
  const direct = {} as Record<Side, () => Promise<void>>;
  const dryRun = {} as Record<Side, () => Promise<void>>;
  for (const side of ['ours', 'upstream'] as Side[]) {
    const inj = await injector(cp, istiods[side].revision || 'default');
    const namespace = NAMESPACES[side].name;
    const deployment = plainDeployment(namespace);
    const review = JSON.stringify(reviewFor(deployment, namespace));
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: inj.ca });
    agents.push(agent);
    direct[side] = async () => {
      const r = await post(agent, istiods[side].address, inj, review);
      if (r.status !== 200 || !JSON.parse(r.text).response?.patch) throw new Error(`${side} istiod /inject answered ${r.status} without a patch: ${r.text.slice(0, 300)}`);
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...deployment.spec.template.metadata, name: 'web-bench', namespace }, spec: deployment.spec.template.spec };
    dryRun[side] = async () => {
      const r = await cp.api('POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, pod);
      const injected = r.status === 201 && [...(r.body.spec.initContainers ?? []), ...r.body.spec.containers].some((c: any) => c.name === 'istio-proxy');
      if (!injected) throw new Error(`dry-run create in ${namespace} was not injected: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    };
  }
  try {
    const d = await alternating(n, direct);
    const a = await alternating(n, dryRun);
    return { ours: { direct: summarize(d.ours), dryRun: summarize(a.ours) }, upstream: { direct: summarize(d.upstream), dryRun: summarize(a.upstream) } };
  } finally {
    for (const agent of agents) agent.destroy();
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
  const text = [`the plain pod, one request at a time alternating between the two istiods (ours the default revision, upstream's revision "${UPSTREAM_REVISION}"), after ${WARMUP} unmeasured ones each`, table(rows)].join('\n');
  return { title: 'Webhook latency', text, verdicts };
}
