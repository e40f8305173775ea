/**
 * kube-score and checkov over every profile's render, ours and upstream's (helm v4, the charts
 * each profile installs, `profile=` as upstream's charts take it). Every finding of ours must be
 * listed with its reason in scanner-findings.yaml, every listed finding must still be found, and
 * ours must have no more findings than upstream per scanner.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import * as YAML from 'yaml';
import { PROFILE_LIST, Profile, profileInstallsChart } from '../../src/profiles';
import { CHECKOV_VERSION, KUBE_SCORE_VERSION, checkovCommand, kubeScoreBinary } from '../../src/tools/scanners';
import { chart, helm } from '../support/helm';
import { upstreamChart } from '../support/upstream';

type Side = 'ours' | 'upstream';
type Scanner = 'kube-score' | 'checkov';
type ChartName = 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway';
const SIDES: Side[] = ['ours', 'upstream'];
const SCANNERS: Scanner[] = ['kube-score', 'checkov'];
const CHARTS: ChartName[] = ['base', 'istiod', 'cni', 'ztunnel', 'gateway'];
/** Release names as the install docs use them; the same on both sides. */
const RELEASE: Record<ChartName, string> = { base: 'istio-base', istiod: 'istiod', cni: 'istio-cni', ztunnel: 'ztunnel', gateway: 'istio-ingressgateway' };
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

/** Profiles with at least one chart we ship. */
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
  // kube-score exits 1 when it finds something; a run without output is the failure
  if (!r.stdout.trim()) throw new Error(`${what} printed nothing (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function kubeScoreFindings(side: Side, profile: string, manifests: string): Finding[] {
  const out = run(kubeScoreBinary(), ['score', '-o', 'json', '--kubernetes-version', KUBERNETES_VERSION, '-'], `kube-score on ${side} ${profile}`, manifests);
  const findings: Finding[] = [];
  // null when no object is of a kind it scores
  for (const o of (JSON.parse(out) ?? []) as any[]) {
    for (const c of o.checks ?? []) {
      // grades: 1 critical, 5 warning, 7 almost ok, 10 ok; the first two are what it reports
      if (c.skipped || c.grade > 5) continue;
      findings.push({ scanner: 'kube-score', side, profile, check: c.check.id, object: `${o.type_meta.kind}/${o.object_meta.name}` });
    }
  }
  return findings;
}

/**
 * checkov's resource ids are kind.namespace.name (a name may hold dots, the kind and namespace
 * cannot); its graph checks name a workload's pod template Pod.namespace.<workload>.<labels...>,
 * which is the workload's name here (none of ours has a dot in it).
 */
function checkovObject(resource: string): string {
  const [kind, namespace, ...rest] = resource.split('.');
  if (kind === 'Pod') return `Pod/${rest[0]} (pod template)`;
  return `${kind}/${rest.join('.') || namespace}`;
}

/** checkov skips a file holding Helm template text (the injection templates' ConfigMaps) as a chart source. */
const HELM_TEMPLATE_TEXT = [/\{\{-?\s*\.Release\./, /\{\{-?\s*\.Values\./];

/**
 * checkov over one side's renders, one file per object (a whole render would be skipped for the
 * template text in one of its ConfigMaps). One process per side, as it takes seconds to start and
 * its graph checks relate every object of the directory; the two sides run at once.
 */
function checkovRun(dir: string): Promise<string> {
  const { command, args } = checkovCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, '-d', '.', '--framework', 'kubernetes', '-o', 'json', '--quiet', '--skip-download'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    // it exits 1 when it finds something
    child.on('close', (code) => (out.trim() ? resolve(out) : reject(new Error(`checkov in ${dir} printed nothing (exit ${code}):\n${err}`))));
  });
}

function checkovFindings(side: Side, out: string, profilesOf: Map<string, string[]>): { findings: Finding[]; resources: number } {
  const parsed = JSON.parse(out);
  const reports: any[] = Array.isArray(parsed) ? parsed : [parsed];
  const findings: Finding[] = [];
  let resources = 0;
  for (const report of reports) {
    if (report.summary?.parsing_errors) throw new Error(`checkov could not parse ${report.summary.parsing_errors} of ${side}'s files`);
    resources += report.summary?.resource_count ?? 0;
    for (const f of report.results?.failed_checks ?? []) {
      const file = basename(f.file_path);
      const profiles = profilesOf.get(file);
      if (!profiles) throw new Error(`checkov reports ${f.check_id} on ${f.file_path}, a file this test did not write`);
      for (const profile of profiles) findings.push({ scanner: 'checkov', side, profile, check: f.check_id, object: checkovObject(f.resource) });
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

/** Objects checkov cannot see: files it takes for chart sources. */
const checkovBlind = new Set<string>();

/**
 * Writes one file per object of a render into the side's directory. An object the same in
 * several profiles is written once (checkov's time grows with its files), and the profiles that
 * render it are kept by file name, to which its findings are attributed.
 */
function writeObjects(dir: string, profile: string, text: string, profilesOf: Map<string, string[]>): void {
  for (const doc of YAML.parseAllDocuments(text)) {
    const o = doc.toJS();
    if (!o?.kind) continue;
    const source = doc.toString();
    if (HELM_TEMPLATE_TEXT.some((p) => p.test(source))) checkovBlind.add(`${o.kind}/${o.metadata?.name}`);
    const file = `${o.kind}-${o.metadata?.name}-${createHash('sha256').update(source).digest('hex').slice(0, 12)}.yaml`;
    const profiles = profilesOf.get(file);
    if (profiles) {
      if (!profiles.includes(profile)) profiles.push(profile);
      continue;
    }
    profilesOf.set(file, [profile]);
    writeFileSync(join(dir, file), source);
  }
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'scanners-'));
  try {
    const profilesOf: Record<Side, Map<string, string[]>> = { ours: new Map(), upstream: new Map() };
    for (const side of SIDES) {
      const dir = join(root, side);
      mkdirSync(dir, { recursive: true });
      for (const profile of PROFILE_LIST) {
        const charts = chartsOf(profile);
        if (!charts.length) continue;
        const texts: string[] = [];
        for (const name of charts) {
          const r = helm('v4', ['template', RELEASE[name], chartDir(side, name), '-n', 'istio-system', ...profileSet(side, name, profile.name)]);
          if (r.status !== 0) throw new Error(`helm template ${side} ${name} profile=${profile.name} failed:\n${r.stderr}`);
          writeObjects(dir, profile.name, r.stdout, profilesOf[side]);
          texts.push(r.stdout);
          rendered.push(`${side}/${profile.name}/${name}`);
        }
        // one kube-score run per profile: its checks relate objects (a PDB or HPA to its Deployment)
        const all = texts.join('\n---\n');
        findings.push(...kubeScoreFindings(side, profile.name, all));
        kubeScoreObjects += all.split(/^kind:/m).length - 1;
      }
    }
    const outputs = await Promise.all(SIDES.map((side) => checkovRun(join(root, side))));
    SIDES.forEach((side, i) => {
      const ck = checkovFindings(side, outputs[i], profilesOf[side]);
      findings.push(...ck.findings);
      checkovResources += ck.resources;
    });
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
  const key = (f: Finding) => `${f.scanner} ${f.check} ${f.object}`;
  const ours = new Set(findings.filter((f) => f.side === 'ours').map(key));
  const theirsOnly = [...new Set(findings.filter((f) => f.side === 'upstream' && !ours.has(key(f))).map(key))];
  const theirs = new Set(findings.filter((f) => f.side === 'upstream').map(key));
  const oursOnly = [...ours].filter((k) => !theirs.has(k));
  lines.push(`  upstream only: ${theirsOnly.join('; ') || 'none'}`, `  ours only: ${oursOnly.join('; ') || 'none'}`);
  lines.push(`  not seen by checkov (Helm template text inside): ${[...checkovBlind].join(', ')}`);
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
