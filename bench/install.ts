/**
 * Install to ready on the local cluster: from the first command until istiod's pod is Ready,
 * its CA secret exists, the injection webhooks carry its CA bundle and validation was switched
 * to Fail (waitForIstiod, what src/cli/install/readiness.ts also waits for). Helm installs of
 * base + istiod, ours vs upstream's charts; and `istio-charts install` vs the pinned
 * `istioctl install`, default profile, both with the local cluster's Envoy settings.
 * Everything is removed between runs, istio-system included, so each run starts from nothing.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { ControlPlane, cleanEnv, waitFor } from '../src/cluster/control-plane';
import { LocalIstiod, UPSTREAM_ENVOY_VALUES, upstreamEnvoyOperatorFile, waitForIstiod } from '../src/cluster/istiod';
import { SAME_IMAGES, chartPath } from './render';
import { Figure, Summary, Verdict, fmt, summarize, table, verdict } from './stats';

const CLI = join(__dirname, '..', 'bin', 'istio-charts.js');

export type Side = 'ours' | 'upstream';

function must(what: string, r: { status: number; stdout: string; stderr: string }): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** helm install of base and istiod from one side's charts (no --wait: waitForIstiod is the finish line). */
export async function helmInstall(cp: ControlPlane, side: Side): Promise<{ seconds: number; istiod: LocalIstiod }> {
  const started = process.hrtime.bigint();
  must(`helm install istio-base (${side})`, cp.helm(['install', 'istio-base', chartPath(side, 'base'), '-n', 'istio-system', '--create-namespace', ...SAME_IMAGES]));
  must(`helm install istiod (${side})`, cp.helm(['install', 'istiod', chartPath(side, 'istiod'), '-n', 'istio-system', '-f', UPSTREAM_ENVOY_VALUES, ...SAME_IMAGES]));
  const istiod = await waitForIstiod(cp, { timeoutMs: 300_000 });
  return { seconds: seconds(started), istiod };
}

/** Removes every helm release in istio-system, then the namespace itself. */
export async function helmUninstallAll(cp: ControlPlane): Promise<void> {
  const releases = JSON.parse(must('helm list', cp.helm(['list', '-n', 'istio-system', '-o', 'json']))) as Array<{ name: string }>;
  // istiod before base: base holds the CRDs istiod watches
  for (const name of releases.map((r) => r.name).sort((a, b) => Number(a === 'istio-base') - Number(b === 'istio-base'))) {
    must(`helm uninstall ${name}`, cp.helm(['uninstall', name, '-n', 'istio-system', '--wait', '--timeout', '3m']));
  }
  await removeIstioSystem(cp);
}

/** Delete istio-system (what istiod wrote there, e.g. its CA secret) and wait until it is gone. */
export async function removeIstioSystem(cp: ControlPlane): Promise<void> {
  const r = await cp.api('DELETE', '/api/v1/namespaces/istio-system');
  if (r.status !== 200 && r.status !== 202 && r.status !== 404) throw new Error(`deleting namespace istio-system: ${r.status} ${JSON.stringify(r.body)}`);
  await waitFor('namespace istio-system to be deleted', 180_000, async () => ((await cp.get('/api/v1/namespaces/istio-system')) === undefined ? true : undefined));
}

/** Runs an installer; with BENCH_VERBOSE set, echoes each output line to stderr with the seconds since the start (where its time goes). */
function timedRun(cp: ControlPlane, bin: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env = cleanEnv({ KUBECONFIG: cp.kubeconfig, NO_COLOR: '1', ...extraEnv });
    const child = spawn(bin, [...args, '--kubeconfig', cp.kubeconfig], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    const verbose = !!process.env.BENCH_VERBOSE;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (verbose) for (const line of String(d).split('\n').filter((l) => l.trim())) process.stderr.write(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}\n`);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** The profiles the installer race runs: the default, and demo with its two gateways. */
export const TOOL_PROFILES = ['default', 'demo'] as const;
export type ToolProfile = (typeof TOOL_PROFILES)[number];

/** `istio-charts install` of a profile until it says it is done (every workload ready) and istiod serves. */
export async function cliInstall(cp: ControlPlane, profile: ToolProfile): Promise<number> {
  const started = process.hrtime.bigint();
  must('istio-charts install', await timedRun(cp, process.execPath, [CLI, 'install', '-f', upstreamEnvoyOperatorFile(), '--set', `profile=${profile}`, '-y', '--timeout', '5m']));
  await waitForIstiod(cp, { timeoutMs: 300_000 });
  return seconds(started);
}

export async function cliUninstall(cp: ControlPlane): Promise<void> {
  must('istio-charts uninstall --purge', await timedRun(cp, process.execPath, [CLI, 'uninstall', '--purge', '-y']));
  await removeIstioSystem(cp);
}

/** The pinned `istioctl install` of a profile (its own charts; it waits for every component) until istiod serves. */
export async function istioctlInstall(cp: ControlPlane, profile: ToolProfile): Promise<number> {
  const started = process.hrtime.bigint();
  must('istioctl install', await timedRun(cp, cp.binaries.istioctl, ['install', '-f', upstreamEnvoyOperatorFile(), '--set', `profile=${profile}`, '-y'], { HOME: cp.dir }));
  await waitForIstiod(cp, { timeoutMs: 300_000 });
  return seconds(started);
}

export async function istioctlUninstall(cp: ControlPlane): Promise<void> {
  must('istioctl uninstall --purge', cp.run(cp.binaries.istioctl, ['uninstall', '--purge', '--kubeconfig', cp.kubeconfig, '-y']));
  await removeIstioSystem(cp);
}

export interface InstallTimes {
  readonly helm: Record<Side, number[]>;
  readonly tool: Record<ToolProfile, { cli: number[]; istioctl: number[] }>;
}

const span = (s: Summary) => `${fmt.s(s.median)} (${fmt.s(s.min)}-${fmt.s(s.max)})`;

export function installFigure(t: InstallTimes): Figure {
  const verdicts: Verdict[] = [];
  const rows: string[][] = [['', 'ours, median (min-max)', 'upstream', 'ratio', 'runs']];
  const pairs: Array<[string, number[], number[]]> = [
    ['helm install base + istiod', t.helm.ours, t.helm.upstream],
    ...TOOL_PROFILES.map((p): [string, number[], number[]] => [`istio-charts install vs istioctl install (${p} profile)`, t.tool[p].cli, t.tool[p].istioctl]),
  ];
  for (const [what, ours, up] of pairs) {
    if (!ours.length || !up.length) continue;
    const [o, u] = [summarize(ours), summarize(up)];
    rows.push([what, span(o), span(u), (o.median / u.median).toFixed(2), `${o.n} / ${u.n}`]);
    verdicts.push(verdict({ what: `install to ready, ${what}`, maxRatio: 1 }, o.median, u.median, fmt.s));
  }
  const text = [
    'seconds from the first command until istiod is Ready, its CA secret exists and both webhook kinds are patched (validation failing closed)',
    table(rows),
  ].join('\n');
  return { title: 'Install to ready', text, verdicts };
}
