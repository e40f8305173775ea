/**
 * kube-score and checkov over every profile's render, ours and upstream's (helm v4, the charts
 * each profile installs, `profile=` as upstream's charts take it). Every finding of ours must be
 * listed with its reason in scanner-findings.yaml, every listed finding must still be found, and
 * ours must have no more findings than upstream per scanner.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { PROFILE_LIST, Profile, profileInstallsChart } from '../../src/profiles';
import { CHECKOV_VERSION, KUBE_SCORE_VERSION, checkovCommand, kubeScoreBinary } from '../../src/tools/scanners';
import { chart, helm } from '../support/helm';
import { upstreamChart } from '../support/upstream';

type Side = 'ours' | 'upstream';
type Scanner = 'kube-score' | 'checkov';
type ChartName = 'base' | 'istiod' | 'gateway';
const SIDES: Side[] = ['ours', 'upstream'];
const SCANNERS: Scanner[] = ['kube-score', 'checkov'];
const CHARTS: ChartName[] = ['base', 'istiod', 'gateway'];
/** Release names as the install docs use them; the same on both sides. */
const RELEASE: Record<ChartName, string> = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-ingressgateway' };
/** The floor of the pinned release's Kubernetes range: kube-score checks API versions against it. */
const KUBERNETES_VERSION = 'v1.32';

interface Finding {
  scanner: Scanner;
  side: Side;
  profile: string;
  check: string;
  /** kind/name, as rendered without a revision (so no revision suffix to strip). */
  object: string;
}

interface Justified {
  scanner: Scanner;
  check: string;
  objects: string[];
  reason: string;
}

const JUSTIFIED_FILE = join(__dirname, 'scanner-findings.yaml');

/** Profiles with at least one chart we ship (ambient's cni and ztunnel charts are not ours yet). */
function chartsOf(profile: Profile): ChartName[] {
  return CHARTS.filter((c) => profileInstallsChart(profile, c));
}

function chartDir(side: Side, name: ChartName): string {
  return side === 'ours' ? chart(name) : upstreamChart(name);
}

/** Upstream's charts fail on a profile they have no file for (default, minimal): those are its defaults. */
function profileSet(side: Side, name: ChartName, profile: string): string[] {
  if (side === 'upstream' && !existsSync(join(chartDir(side, name), 'files', `profile-${profile}.yaml`))) return [];
  return ['--set', `profile=${profile}`];
}

function run(command: string, args: string[], what: string, input?: string): string {
  const r = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  // both scanners exit 1 when they find something; anything else without output is a failure
  if (!r.stdout.trim()) throw new Error(`${what} printed nothing (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function kubeScoreFindings(side: Side, profile: string, manifests: string): Finding[] {
  const out = run(kubeScoreBinary(), ['score', '-o', 'json', '--kubernetes-version', KUBERNETES_VERSION, '-'], `kube-score on ${side} ${profile}`, manifests);
  const findings: Finding[] = [];
  for (const o of JSON.parse(out) as any[]) {
    for (const c of o.checks ?? []) {
      // grades: 1 critical, 5 warning, 7 almost ok, 10 ok; the first two are what it reports
      if (c.skipped || c.grade > 5) continue;
      findings.push({ scanner: 'kube-score', side, profile, check: c.check.id, object: `${o.type_meta.kind}/${o.object_meta.name}` });
    }
  }
  return findings;
}

/** checkov's resource ids are kind.namespace.name (a name may hold dots, the kind and namespace cannot). */
function checkovObject(resource: string): string {
  const [kind, , ...name] = resource.split('.');
  return `${kind}/${name.join('.')}`;
}

/** One checkov run over every render of both sides (it takes many seconds to start). */
function checkovFindings(root: string): { findings: Finding[]; resources: number } {
  const { command, args } = checkovCommand();
  const out = run(command, [...args, '-d', root, '--framework', 'kubernetes', '-o', 'json', '--quiet', '--skip-download'], 'checkov');
  const parsed = JSON.parse(out);
  const reports: any[] = Array.isArray(parsed) ? parsed : [parsed];
  const findings: Finding[] = [];
  let resources = 0;
  for (const report of reports) {
    if (report.summary?.parsing_errors) throw new Error(`checkov could not parse ${report.summary.parsing_errors} render(s)`);
    resources += report.summary?.resource_count ?? 0;
    for (const f of report.results?.failed_checks ?? []) {
      const [side, profile] = (f.file_path as string).replace(/^\//, '').split('/');
      findings.push({ scanner: 'checkov', side: side as Side, profile, check: f.check_id, object: checkovObject(f.resource) });
    }
  }
  return { findings, resources };
}

const dedupe = (fs: Finding[]) => [...new Map(fs.map((f) => [JSON.stringify(f), f])).values()];

let findings: Finding[] = [];
let checkovResources = 0;
let kubeScoreObjects = 0;
const rendered: string[] = [];
const justified: Justified[] = YAML.parse(readFileSync(JUSTIFIED_FILE, 'utf8'));

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'scanners-'));
  try {
    for (const side of SIDES) {
      for (const profile of PROFILE_LIST) {
        const charts = chartsOf(profile);
        if (!charts.length) continue;
        const dir = join(root, side, profile.name);
        mkdirSync(dir, { recursive: true });
        const texts: string[] = [];
        for (const name of charts) {
          const r = helm('v4', ['template', RELEASE[name], chartDir(side, name), '-n', 'istio-system', ...profileSet(side, name, profile.name)]);
          if (r.status !== 0) throw new Error(`helm template ${side} ${name} profile=${profile.name} failed:\n${r.stderr}`);
          writeFileSync(join(dir, `${name}.yaml`), r.stdout);
          texts.push(r.stdout);
          rendered.push(`${side}/${profile.name}/${name}`);
        }
        // one kube-score run per profile: its checks relate objects (a PDB or HPA to its Deployment)
        const ks = kubeScoreFindings(side, profile.name, texts.join('\n---\n'));
        findings.push(...ks);
        kubeScoreObjects += texts.join('\n---\n').split(/^kind:/m).length - 1;
      }
    }
    const ck = checkovFindings(root);
    findings.push(...ck.findings);
    checkovResources = ck.resources;
    findings = dedupe(findings);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  printCounts();
}, 600_000);

function printCounts(): void {
  const count = (scanner: Scanner, side: Side, profile?: string) => findings.filter((f) => f.scanner === scanner && f.side === side && (!profile || f.profile === profile)).length;
  const profiles = PROFILE_LIST.filter((p) => chartsOf(p).length).map((p) => p.name);
  const lines = [`findings ours vs upstream (kube-score ${KUBE_SCORE_VERSION}, checkov ${CHECKOV_VERSION}; one per check and object per profile)`];
  for (const scanner of SCANNERS) {
    lines.push(`  ${scanner}: ${count(scanner, 'ours')} vs ${count(scanner, 'upstream')}`);
    for (const p of profiles) lines.push(`    ${p.padEnd(8)} ${String(count(scanner, 'ours', p)).padStart(3)} vs ${String(count(scanner, 'upstream', p)).padStart(3)}`);
  }
  console.log(lines.join('\n'));
}

const isJustified = (f: Finding) => justified.some((j) => j.scanner === f.scanner && j.check === f.check && j.objects.includes(f.object));

test('every profile with charts of ours is rendered on both sides and scanned', () => {
  const profiles = PROFILE_LIST.filter((p) => chartsOf(p).length);
  expect(profiles.map((p) => p.name)).toEqual(expect.arrayContaining(['default', 'demo', 'minimal', 'remote', 'ambient']));
  expect(rendered.length).toBe(2 * profiles.reduce((n, p) => n + chartsOf(p).length, 0));
  expect(kubeScoreObjects).toBeGreaterThan(100);
  expect(checkovResources).toBeGreaterThan(100);
  for (const scanner of SCANNERS) for (const side of SIDES) expect(findings.some((f) => f.scanner === scanner && f.side === side)).toBe(true);
});

test('the justification list is well formed', () => {
  for (const j of justified) {
    expect(SCANNERS).toContain(j.scanner);
    expect(typeof j.check).toBe('string');
    expect(j.objects.length).toBeGreaterThan(0);
    expect(j.reason.length).toBeGreaterThan(20);
  }
  const keys = justified.flatMap((j) => j.objects.map((o) => `${j.scanner} ${j.check} ${o}`));
  expect(keys.length).toBe(new Set(keys).size);
});

test('every finding of ours is justified in scanner-findings.yaml', () => {
  const unexplained = [...new Set(findings.filter((f) => f.side === 'ours' && !isJustified(f)).map((f) => `${f.scanner} ${f.check} ${f.object} (profile ${f.profile})`))];
  expect(unexplained).toEqual([]);
});

test('every justified finding is still found in some render of ours', () => {
  const stale = justified.flatMap((j) =>
    j.objects.filter((o) => !findings.some((f) => f.side === 'ours' && f.scanner === j.scanner && f.check === j.check && f.object === o)).map((o) => `${j.scanner} ${j.check} ${o}`),
  );
  expect(stale).toEqual([]);
});

test.each(SCANNERS)('%s finds no more in ours than in upstream', (scanner) => {
  const ours = findings.filter((f) => f.scanner === scanner && f.side === 'ours').length;
  const upstream = findings.filter((f) => f.scanner === scanner && f.side === 'upstream').length;
  expect(ours).toBeLessThanOrEqual(upstream);
});
