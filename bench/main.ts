/**
 * `npm run bench [-- <figure>...]`: our charts against upstream's of the pinned release, measured
 * side by side in one run with the same binaries. Figures: template-exec, render, webhook,
 * install, release-size (default: all). Each prints ours / upstream with median, p99 or
 * min-max and run counts; a one-line verdict per target follows, and all verdicts again at the end.
 *
 * Knobs (environment): BENCH_RUNS (helm template runs per side and case, 7), BENCH_GO_ROUNDS (5)
 * and BENCH_GO_TIME (300ms) for the Go benchmark, BENCH_WEBHOOK_N (300, at least 300), BENCH_INSTALL_RUNS (helm installs per side, 3),
 * BENCH_TOOL_RUNS (istio-charts and istioctl installs each, 2),
 * BENCH_SYNTH_RUNS (1), BENCH_CLUSTER_LOCK (a file to hold with flock(1) while the local cluster
 * runs, for machines where clusters are shared out).
 */
import { spawn } from 'child_process';
import { LocalCluster } from '../src/cluster/cluster';
import { InstallTimes, Side, TOOL_PROFILES, cliInstall, cliUninstall, helmInstall, helmUninstallAll, installFigure, istioctlInstall, istioctlUninstall } from './install';
import { compileLib } from '../src/release/compile';
import { SecretSizes, releaseSecretSizes, releaseSizeFigure } from './release-size';
import { RenderedBytes, renderFigure } from './render';
import { Figure, Verdict } from './stats';
import { templateExecFigure } from './template-exec';
import { WebhookLatency, installBoth, measureWebhook, webhookFigure } from './webhook';

const FIGURES = ['template-exec', 'render', 'webhook', 'install', 'release-size'] as const;
type FigureName = (typeof FIGURES)[number];

function positiveInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}`);
  return n;
}

function wanted(args: string[]): Set<FigureName> {
  const bad = args.filter((a) => !(FIGURES as readonly string[]).includes(a));
  if (bad.length) throw new Error(`unknown figure(s) ${bad.join(', ')}; figures are ${FIGURES.join(', ')}`);
  return new Set((args.length ? args : FIGURES) as FigureName[]);
}

/** Holds `file` with flock(1) until the returned function is called. */
async function lock(file: string): Promise<() => void> {
  process.stderr.write(`waiting for the cluster lock ${file}...\n`);
  const child = spawn('flock', [file, '-c', 'echo locked; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`flock ${file} exited with ${code}`)));
    child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
  });
  return () => {
    child.removeAllListeners('exit');
    child.stdin.end();
  };
}

function print(f: Figure): void {
  console.log(`\n## ${f.title}\n\n${f.text}\n`);
  for (const v of f.verdicts) console.log(v.line);
}

interface ClusterResults {
  helm: Record<Side, number[]>;
  tool: InstallTimes['tool'];
  webhook?: Record<Side, WebhookLatency>;
  secrets: Partial<Record<Side, SecretSizes>>;
}

/** Runs `f`, telling stderr how long it took (the progress of a long run). */
async function step<T>(what: string, f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const v = await f();
  process.stderr.write(`${what} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return v;
}

/** Everything that needs the local cluster, on one cluster: helm installs of each side in turn, measuring the webhook and the release Secrets on each side's first. */
async function clusterFigures(want: Set<FigureName>): Promise<ClusterResults> {
  // without the install figure, one install of upstream's charts is all release-size needs
  const installRuns = want.has('install') ? positiveInt('BENCH_INSTALL_RUNS', 3) : want.has('release-size') ? 1 : 0;
  const toolRuns = positiveInt('BENCH_TOOL_RUNS', 2);
  const n = positiveInt('BENCH_WEBHOOK_N', 300, 300);
  const out: ClusterResults = { helm: { ours: [], upstream: [] }, tool: { default: { cli: [], istioctl: [] }, demo: { cli: [], istioctl: [] } }, secrets: {} };
  const lockFile = process.env.BENCH_CLUSTER_LOCK;
  const unlock = lockFile ? await lock(lockFile) : () => {};
  let cluster: LocalCluster | undefined;
  try {
    process.stderr.write('starting a local cluster...\n');
    cluster = await step('cluster started', () => LocalCluster.start());
    const cp = cluster.cp;
    if (want.has('webhook')) {
      // both istiods at once, the requests alternating between them
      const istiods = await step('ours and upstream istiod installed side by side', () => installBoth(cp));
      out.webhook = await step('webhooks measured', () => measureWebhook(cp, istiods, n));
      await step('uninstalled', () => helmUninstallAll(cp));
    }
    if (want.has('install') || want.has('release-size')) {
      // The first install on a new cluster is slower whatever the charts (cold caches, first
      // CRDs): that one is a warm-up, not counted; it serves ours for the release Secrets.
      await helmInstall(cp, 'ours');
      if (want.has('release-size')) out.secrets.ours = await step('release Secrets read (ours)', () => releaseSecretSizes(cp, 'ours'));
      await step('warm-up install (ours, not counted) uninstalled', () => helmUninstallAll(cp));
    }
    for (let i = 0; i < installRuns; i++) {
      // alternate who goes first, so drift in the machine's load does not land on one side
      const order: Side[] = i % 2 ? ['ours', 'upstream'] : ['upstream', 'ours'];
      for (const side of want.has('install') ? order : (['upstream'] as Side[])) {
        const { seconds } = await helmInstall(cp, side);
        out.helm[side].push(seconds);
        process.stderr.write(`helm install (${side}) to ready: ${seconds.toFixed(1)} s\n`);
        if (side === 'upstream' && !out.secrets.upstream && want.has('release-size')) out.secrets.upstream = await step('release Secrets read (upstream)', () => releaseSecretSizes(cp, 'upstream'));
        await step('uninstalled', () => helmUninstallAll(cp));
      }
    }
    if (want.has('install')) {
      for (const profile of TOOL_PROFILES) {
        for (let i = 0; i < toolRuns; i++) {
          for (const tool of i % 2 ? ['istioctl', 'cli'] : ['cli', 'istioctl']) {
            const seconds = tool === 'cli' ? await cliInstall(cp, profile) : await istioctlInstall(cp, profile);
            out.tool[profile][tool as 'cli' | 'istioctl'].push(seconds);
            process.stderr.write(`${tool === 'cli' ? 'istio-charts' : 'istioctl'} install (${profile}) to ready: ${seconds.toFixed(1)} s\n`);
            await step('uninstalled', () => (tool === 'cli' ? cliUninstall(cp) : istioctlUninstall(cp)));
          }
        }
      }
    }
  } finally {
    await cluster?.stop();
    unlock();
  }
  return out;
}

async function main(): Promise<void> {
  const want = wanted(process.argv.slice(2));
  const started = Date.now();
  const verdicts: Verdict[] = [];
  const show = (f: Figure) => {
    print(f);
    verdicts.push(...f.verdicts);
  };
  let rendered: RenderedBytes | undefined;
  if (want.has('render') || want.has('release-size')) {
    const f = renderFigure(positiveInt('BENCH_RUNS', 7), positiveInt('BENCH_SYNTH_RUNS', 1));
    rendered = f.bytes;
    if (want.has('render')) show(f);
  }
  if (want.has('template-exec')) show(templateExecFigure(positiveInt('BENCH_GO_ROUNDS', 5), process.env.BENCH_GO_TIME || '300ms'));
  if (want.has('webhook') || want.has('install') || want.has('release-size')) {
    // the CLI as its package runs it: compiled, not through ts-node
    if (want.has('install')) compileLib();
    const c = await clusterFigures(want);
    if (want.has('webhook')) show(webhookFigure(c.webhook!.ours, c.webhook!.upstream));
    if (want.has('install')) show(installFigure(c));
    if (want.has('release-size')) show(releaseSizeFigure(rendered, c.secrets));
  }
  const missed = verdicts.filter((v) => !v.met).length;
  console.log(`\n## Verdicts: ${verdicts.length - missed} of ${verdicts.length} targets met (${Math.round((Date.now() - started) / 1000)} s)\n`);
  for (const v of verdicts) console.log(v.line);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
