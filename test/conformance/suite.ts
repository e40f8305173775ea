/**
 * One run of the Gateway API conformance suite against Istio installed from our charts on a
 * fresh local cluster: base and istiod (default values plus the local cluster's upstream-Envoy
 * values), the experimental-channel CRDs at istiod's gateway-api version, then the suite's own
 * test binary with Istio's configuration (istio-configuration.ts). Results are judged per test
 * from `go test -json` and cross-checked against the suite's report.
 */
import { spawn } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { LocalCluster } from '../../src/cluster/cluster';
import { CONFORMANCE_MODULE, gatewayConformanceBinaries } from '../../src/cluster/gateway-conformance';
import { gatewayApiCrds, gatewayApiVersion } from '../../src/cluster/gateway-api';
import { runnableImage } from '../../src/cluster/images';
import { onExit } from '../../src/cluster/processes';
import { moduleDir } from '../../src/tools/go';
import { installIstio } from '../support/cluster';
import { IstioConformanceConfig, istioConformanceConfig } from './istio-configuration';

export type Level = 'core' | 'extended';
export type Counts = { passed: number; failed: number; skipped: number };

/**
 * Istio's published result for 1.31 (gateway-api v1.6.0, experimental channel): passed tests per
 * profile; nothing failed or was skipped. kubernetes-sigs/gateway-api
 * conformance/reports/v1.6/istio-istio/1.31.0-default-report.yaml (commit 717ec13d).
 */
export const ISTIO_PUBLISHED: Record<string, Record<Level, number>> = {
  'GATEWAY-HTTP': { core: 37, extended: 54 },
  'GATEWAY-TLS': { core: 20, extended: 15 },
  'GATEWAY-TCP': { core: 19, extended: 10 },
  'GATEWAY-GRPC': { core: 15, extended: 10 },
  'MESH-HTTP': { core: 7, extended: 7 },
};

/**
 * Images the suite deploys that the node may simulate: coredns serves only the UDPRoute tests,
 * which Istio exempts, so it only has to become Ready.
 */
export const SIMULATED_ALLOWED = ['coredns'];

/**
 * The node's advertised CPU for the suite: istiod asks 500m and each of about 45 sidecars and
 * gateways 100m, far over this machine's 2 cores, which nothing enforces.
 */
export const CONFORMANCE_NODE_CPU = '12';

/**
 * The suite's timeouts raised for a 2-core machine (seconds, the suite's own names), each with
 * its reason; every other timeout is the suite's default. The runs so far passed well inside
 * the defaults on a warm machine: these are headroom for a loaded one (CI runs the core part
 * beside another cluster's tests).
 */
export const TIMEOUT_OVERRIDES: Record<string, { seconds: number; why: string }> = {
  NamespacesMustBeReady: { seconds: 600, why: 'about 30 injected pods start at once on 2 cores, each sidecar waiting for its first push from istiod' },
  MaxTimeToConsistency: { seconds: 90, why: 'a route change reaches every Envoy through one istiod that shares 2 cores with ~30 proxies' },
  GatewayMustHaveAddress: { seconds: 300, why: 'a gateway pod is injected and started as processes behind the other pods on 2 cores' },
};

/** At most this many tests at once: each makes gateways (a pod, a Service and a LoadBalancer address each). */
export const PARALLEL = 2;

export interface ConformanceRun {
  readonly profiles: readonly string[];
  /** Only the profiles' core features (no --all-features). @default false */
  readonly coreOnly?: boolean;
  /**
   * Give the cluster all of TEST-NET-2: the full suite ran out of one slot's 30 ClusterIPs
   * (GATEWAY-HTTP core fits a slot). @default false
   */
  readonly wholeRange?: boolean;
  /** Where the report, the suite's log and the per-test JSON go. */
  readonly outDir: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface TestResult {
  readonly name: string;
  readonly outcome: 'pass' | 'fail' | 'skip';
  readonly seconds: number;
  /** The test's own output lines (its failure reason). */
  readonly output: string;
}

export interface ProfileCounts {
  readonly name: string;
  readonly core: Counts & { failedTests: string[]; skippedTests: string[] };
  readonly extended?: Counts & { failedTests: string[]; skippedTests: string[] };
}

export interface ConformanceResult {
  readonly config: IstioConformanceConfig;
  readonly tests: readonly TestResult[];
  readonly profiles: readonly ProfileCounts[];
  readonly reportPath: string;
  readonly exitCode: number | null;
  readonly seconds: number;
  /** The machine's peak memory in use above what it used before the cluster started (sampled every 5 s), in MiB. */
  readonly peakMemoryMiB: number;
}

/** Every image the suite's manifests name (they are embedded in the test binary from these files). */
export function suiteImages(): string[] {
  const dir = moduleDir(CONFORMANCE_MODULE.path, CONFORMANCE_MODULE.version);
  const files = ['base', 'mesh', 'tests'].flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, d, f)));
  const images = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\s*image:\s*(\S+)/gm)].map((m) => m[1]));
  return [...new Set(images)].sort();
}

/** Images the node would only simulate (and that may not be), or an empty list. */
export function unrunnableImages(images: readonly string[] = suiteImages()): string[] {
  return images.filter((i) => !runnableImage(i) && !SIMULATED_ALLOWED.some((a) => i.includes(`/${a}:`)));
}

export function suiteArgs(config: IstioConformanceConfig, run: ConformanceRun, reportPath: string): string[] {
  const skip = Object.keys(config.skipTests);
  return [
    '-test.run', '^TestConformance$', '-test.v=test2json', '-test.timeout', '120m', '-test.parallel', String(PARALLEL),
    `--gateway-class=${config.gatewayClass}`,
    ...(run.coreOnly ? [] : ['--all-features']),
    `--exempt-features=${config.exemptFeatures.join(',')}`,
    `--conformance-profiles=${run.profiles.join(',')}`,
    `--skip-tests=${skip.join(',')}`,
    `--namespace-labels=${Object.entries(config.namespaceLabels).map(([k, v]) => `${k}=${v}`).join(',')}`,
    `--usable-address=${config.usableAddress}`,
    `--unusable-address=${config.unusableAddress}`,
    `--organization=${config.implementation.organization}`, `--project=${config.implementation.project}`, `--url=${config.implementation.url}`,
    `--version=${config.implementation.version}`, `--contact=${config.implementation.contact}`,
    `--report-output=${reportPath}`,
    `--timeout-config-overrides=${Object.entries(TIMEOUT_OVERRIDES).map(([k, v]) => `${k}:${v.seconds}`).join(';')}`,
  ];
}

/** Per-test outcomes from `go test -json` events (subtests of TestConformance only). */
export function testResults(jsonLines: string): TestResult[] {
  const output = new Map<string, string[]>();
  const results: TestResult[] = [];
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { Action: string; Test?: string; Output?: string; Elapsed?: number };
    const name = e.Test?.startsWith('TestConformance/') ? e.Test.slice('TestConformance/'.length).split('/')[0] : undefined;
    if (!name) continue;
    if (e.Action === 'output') {
      if (!output.has(name)) output.set(name, []);
      output.get(name)!.push(e.Output ?? '');
    }
    if ((e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip') && e.Test === `TestConformance/${name}`) {
      results.push({ name, outcome: e.Action, seconds: e.Elapsed ?? 0, output: (output.get(name) ?? []).join('') });
    }
  }
  return results;
}

/** The report's per-profile counts. */
export function reportProfiles(reportYaml: string): ProfileCounts[] {
  const report = YAML.parse(reportYaml) as { profiles?: any[] };
  const status = (s: any) => s && { passed: s.statistics?.Passed ?? 0, failed: s.statistics?.Failed ?? 0, skipped: s.statistics?.Skipped ?? 0, failedTests: s.failedTests ?? [], skippedTests: s.skippedTests ?? [] };
  return (report.profiles ?? []).map((p) => ({ name: p.name, core: status(p.core), extended: status(p.extended) }));
}

/**
 * Where the report and the per-test results disagree (the report bug of gateway-api v1.6.0
 * counted parallel tests as passed before they ended): a test failed in `go test -json` but in
 * no profile's failed list, or the reverse.
 */
export function reportDisagreements(tests: readonly TestResult[], profiles: readonly ProfileCounts[]): string[] {
  const failed = new Set(tests.filter((t) => t.outcome === 'fail').map((t) => t.name));
  const reported = new Set(profiles.flatMap((p) => [...p.core.failedTests, ...(p.extended?.failedTests ?? [])]));
  return [
    ...[...failed].filter((t) => !reported.has(t)).map((t) => `${t} failed, but the report lists it in no profile's failures`),
    ...[...reported].filter((t) => !failed.has(t)).map((t) => `the report lists ${t} as failed, but go test -json says it did not fail`),
  ];
}

/** Memory in use on this machine (MemTotal - MemAvailable), in MiB. */
function memoryInUseMiB(): number {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(info)?.[1] ?? 0);
  return Math.round((kib('MemTotal') - kib('MemAvailable')) / 1024);
}

export async function runConformance(run: ConformanceRun): Promise<ConformanceResult> {
  const log = run.log ?? (() => {});
  const started = Date.now();
  const config = istioConformanceConfig();
  const missing = unrunnableImages();
  if (missing.length > 0) throw new Error(`the suite deploys images this node can only simulate, so a Ready backend would not be a real one: ${missing.join(', ')}`);
  log(`building the suite (${CONFORMANCE_MODULE.path} ${CONFORMANCE_MODULE.version}, gateway-api ${gatewayApiVersion()}) and echo-basic`);
  const { suite } = gatewayConformanceBinaries();
  mkdirSync(run.outDir, { recursive: true });
  const reportPath = join(run.outDir, 'report.yaml');
  const jsonPath = join(run.outDir, 'tests.json');

  log(`starting a local cluster whose node advertises ${CONFORMANCE_NODE_CPU} CPU${run.wholeRange ? ', on all of TEST-NET-2' : ''}`);
  const baseline = memoryInUseMiB();
  const cluster = await LocalCluster.start({ nodeCpu: CONFORMANCE_NODE_CPU, wholeRange: run.wholeRange });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryInUseMiB() - baseline)), 5000);
  try {
    const cp = cluster.cp;
    log('installing base and istiod from charts/, and the experimental Gateway API CRDs');
    // helm v4 (from npm): nothing for the run to build beyond the cluster and the suite
    await installIstio({ cp }, [], { helm: 'v4', timeoutMs: 300_000 });
    const crds = cp.kubectl(['apply', '--server-side', '-f', '-'], gatewayApiCrds('experimental'));
    if (crds.status !== 0) throw new Error(`the experimental Gateway API CRDs were refused:\n${crds.stderr}`);
    const established = cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    if (established.status !== 0) throw new Error(`the Gateway API CRDs were not established:\n${established.stderr}`);

    const args = suiteArgs(config, run, reportPath);
    log(`running the suite: ${run.profiles.join(', ')}${run.coreOnly ? ' (core)' : ''}; output in ${jsonPath}`);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const out = createWriteStream(jsonPath);
      // a group of its own, ended with this process: go tool and test2json do not pass signals on
      const child = spawn('go', ['tool', 'test2json', '-t', '-p', 'conformance', suite, ...args], { cwd: run.outDir, env: { ...process.env, KUBECONFIG: cp.kubeconfig }, detached: true });
      const removeHook = onExit(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      });
      child.on('exit', removeHook);
      let pending = '';
      child.stdout.on('data', (d) => {
        out.write(d);
        pending += d;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const l of lines) {
          const e = l.startsWith('{') ? JSON.parse(l) : undefined;
          if (e && /^TestConformance\/\w+$/.test(e.Test ?? '') && ['pass', 'fail', 'skip'].includes(e.Action)) log(`  ${e.Action.padEnd(4)} ${e.Test.slice(16)} (${Math.round(e.Elapsed ?? 0)} s)`);
        }
      });
      child.stderr.on('data', (d) => out.write(d));
      child.on('error', reject);
      child.on('exit', (code) => out.end(() => resolve(code)));
    });
    const tests = testResults(readFileSync(jsonPath, 'utf8'));
    if (!existsSync(reportPath)) throw new Error(`the suite wrote no report (exit ${exitCode}); its output: ${jsonPath}`);
    return { config, tests, profiles: reportProfiles(readFileSync(reportPath, 'utf8')), reportPath, exitCode, seconds: Math.round((Date.now() - started) / 1000), peakMemoryMiB: peak };
  } finally {
    clearInterval(sampler);
    await cluster.stop();
  }
}
