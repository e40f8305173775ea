/**
 * The CLI's verbs that need no cluster, run as a process as users run them: profile list,
 * dump and diff from the typed profiles, and usage errors (exit 2, one line, nothing done).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { PROFILE_LIST } from '../../src/profiles';
import { cli } from '../support/cli';

test('profile list shows every profile with its description and components', async () => {
  const r = await cli(['profile', 'list']);
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^PROFILE\s+COMPONENTS\s+DESCRIPTION$/);
  for (const p of PROFILE_LIST) {
    const row = lines.find((l) => l.startsWith(`${p.name} `));
    expect([p.name, row]).toEqual([p.name, expect.stringContaining(p.description)]);
    expect(row).toContain(p.components.length ? p.components.join(', ') : '(none)');
  }
  expect(lines.find((l) => l.startsWith('external '))).toContain('Another name for remote.');
  expect(lines.find((l) => l.startsWith('openshift '))).toContain('cni');
});

test('profile dump gives the chart defaults with the profile laid over them, or only the overlay', async () => {
  const full = await cli(['profile', 'dump', 'demo', '--chart', 'istiod', '-o', 'json']);
  expect(full.status).toBe(0);
  const values = JSON.parse(full.stdout);
  expect(values.pilot.autoscaleEnabled).toBe(false);
  expect(values.pilot.replicaCount).toBe(1); // a chart default the profile leaves alone
  expect(values.meshConfig.accessLogFile).toBe('/dev/stdout');
  const overlay = YAML.parse((await cli(['profile', 'dump', 'demo', '--chart', 'istiod', '--overlay-only'])).stdout);
  expect(overlay.pilot).not.toHaveProperty('replicaCount');
  expect(overlay.pilot.traceSampling).toBe(100);
});

test('profile diff names the components and values that change', async () => {
  const r = await cli(['profile', 'diff', 'default', 'demo']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('components: base, pilot, ingressGateways -> base, pilot, ingressGateways, egressGateways');
  expect(r.stdout).toContain('istiod: pilot.autoscaleEnabled: true -> false');
  expect((await cli(['profile', 'diff', 'default', 'default'])).stdout).toContain('are the same');
});

test('manifest generate --set profile=demo renders every release of the profile, gateways included', async () => {
  const r = await cli(['manifest', 'generate', '--set', 'profile=demo']);
  expect(r.status).toBe(0);
  const deployments = YAML.parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'Deployment')
    .map((o) => o.metadata.name);
  expect(deployments.sort()).toEqual(['istio-egressgateway', 'istio-ingressgateway', 'istiod']);
});

test('operator convert prints the chart values of each release an IstioOperator file means', async () => {
  const operatorFile = join(mkdtempSync(join(tmpdir(), 'operator-convert-')), 'my-operator-resource.yaml');
  writeFileSync(operatorFile, 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n  meshConfig:\n    accessLogEncoding: JSON\n');
  const r = await cli(['operator', 'convert', operatorFile]);
  expect(r.status).toBe(0);
  const byRelease = YAML.parse(r.stdout);
  expect(Object.keys(byRelease)).toEqual(['istio-base', 'istiod', 'istio-ingressgateway', 'istio-egressgateway']);
  expect(byRelease.istiod).toMatchObject({ meshConfig: { accessLogEncoding: 'JSON' }, pilot: { autoscaleEnabled: false } });
});

test.each([
  [['profile', 'dump', 'tiny'], /unknown profile "tiny"; valid profiles: default, demo, minimal/],
  [['profile', 'dump', 'minimal', '--chart', 'gateway'], /--chart gateway: profile "minimal" installs base, istiod/],
  [['manifest', 'generate', '--set', 'profile=tiny'], /profile.*tiny/],
  [['install', '--set', 'profile=tiny', '-y'], /profile.*tiny/],
  [['uninstall'], /--revision <name>.*--purge/],
  [['frobnicate'], /unknown command 'frobnicate'/],
])('%j is bad input: exit 2 with one line naming it', async (args, message) => {
  const r = await cli(args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  if (args[0] !== 'frobnicate') expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
