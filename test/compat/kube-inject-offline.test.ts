/**
 * `istio-charts kube-inject --offline` against the pinned istioctl's own offline `kube-inject`,
 * both given what our istiod chart renders (injector config, values, mesh config): every
 * workload of the injection corpus (pods/) must come out the same. Ours runs istiod's webhook
 * code on AdmissionReviews, istioctl its kube-inject path, so this also proves the review, the
 * patch and the walk. The one intended difference: istioctl writes a CronJob's injected
 * metadata onto the Job template, ours onto the pod template, where istiod's webhook puts it on
 * the pods the CronJob creates (the corpus has no CronJob; the cluster test covers one).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { chart } from '../support/helm';
import { injectorInputs, kubeInject, podOf, removeScratch } from '../support/inject';

const BIN = join(__dirname, '..', '..', 'bin', 'istio-charts.js');
const PODS_DIR = join(__dirname, 'pods');
const CORPUS = readdirSync(PODS_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(PODS_DIR, f), 'utf8').trim()).join('\n---\n') + '\n';

const scratch = mkdtempSync(join(tmpdir(), 'kube-inject-offline-'));
const corpusFile = join(scratch, 'corpus.yaml');
writeFileSync(corpusFile, CORPUS);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  removeScratch();
});

interface Variant {
  readonly name: string;
  readonly set: string[];
  /** Our flag, and istioctl's environment, for native sidecars. */
  readonly native?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'defaults', set: [] },
  { name: 'a revision', set: ['revision=canary'] },
  { name: 'native sidecars', set: [], native: true },
  { name: 'proxy and identity settings', set: ['global.proxy.logLevel=error', 'global.proxy.holdApplicationUntilProxyStarts=true', 'global.meshID=mesh1', 'global.network=net1', 'global.multiCluster.clusterName=cluster-a', 'meshConfig.defaultConfig.concurrency=3'] },
];

/** Leave out what only typed re-marshalling adds (creationTimestamp: null, resources: {}, status: {}). */
function normalize(v: any): any {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n === null || n === undefined || (typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 0)) continue;
      out[k] = n;
    }
    return out;
  }
  return v;
}

const parse = (text: string) => YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((x) => x);

describe.each(VARIANTS)('kube-inject --offline equals istioctl kube-inject: $name', (variant) => {
  test('every workload of the corpus', () => {
    const inputs = injectorInputs(chart('istiod'), variant.set, `offline-${variant.name}`);
    const theirs = kubeInject(inputs, corpusFile, variant.native ? { env: { ENABLE_NATIVE_SIDECARS: 'true' } } : {});
    const args = ['kube-inject', '--offline', '-f', corpusFile, ...variant.set.flatMap((s) => ['--set', s]), ...(variant.native ? ['--native-sidecar'] : [])];
    const revision = variant.set.find((s) => s.startsWith('revision='))?.slice('revision='.length);
    if (revision) args.push('-r', revision);
    const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const ours = parse(r.stdout);
    expect(ours.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(theirs.map((o) => `${o.kind}/${o.metadata.name}`));
    ours.forEach((o, i) => {
      expect([o.metadata.name, normalize(podOf(o))]).toEqual([o.metadata.name, normalize(podOf(theirs[i]))]);
    });
    // injection happened, with the variant's settings
    const statuses = ours.map((o) => JSON.parse(podOf(o).metadata.annotations?.['sidecar.istio.io/status'] ?? 'null')).filter(Boolean);
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((s) => s.revision === (revision ?? 'default'))).toBe(true);
    // plain.yaml (Deployment shop/web) carries no sidecar annotations: the native flag decides
    const plain = ours.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web' && o.metadata.namespace === 'shop');
    expect(JSON.parse(podOf(plain).metadata.annotations['sidecar.istio.io/status']).initContainers).toEqual(variant.native ? ['istio-init', 'istio-proxy'] : ['istio-init']);
  });
});
