/**
 * The charts as users get them: `npm run package`'s signed packages pushed to a real OCI
 * registry (the distribution registry on loopback) and served as a classic repository (dist/
 * over HTTP on loopback), each installed into the local cluster as the README says.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { waitForIstiod } from '../../src/cluster/istiod';
import { PackageResult, packageCharts } from '../../src/release/package';
import { helmBinary } from '../../src/tools/helm';
import { ISTIO_VERSION, chartVersion } from '../../src/versions';
import { CHARTS_DIR } from '../support/helm';
import { mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';
import { Served, serveDirectory, startRegistry } from '../support/registries';

const work = mkdtempSync(join(tmpdir(), 'istio-charts-release-'));
const version = chartVersion();
const timings: Record<string, number> = {};
let packaged: PackageResult;
let registry: Served;
let repository: Served | undefined;

function timed<T>(step: string, f: () => T): T {
  const t = Date.now();
  try {
    return f();
  } finally {
    timings[step] = Date.now() - t;
  }
}

const c = useControlPlane(async () => {
  packaged = timed('package, sign, index, verify', () => packageCharts({ out: join(work, 'dist') }));
  registry = await startRegistry(join(work, 'registry'));
});

afterAll(async () => {
  await registry?.stop();
  await repository?.stop();
  rmSync(work, { recursive: true, force: true });
  console.log(`release timings (ms): ${JSON.stringify(timings)}; package sizes (bytes): ${JSON.stringify(Object.fromEntries((packaged?.charts ?? []).map((p) => [p.name, p.bytes])))}`);
});

const oci = () => `oci://${registry.address}/istio-charts`;

describe('an OCI registry', () => {
  test('helm push stores every chart, its provenance beside it', async () => {
    for (const chart of packaged.charts) {
      const r = timed(`push ${chart.name}`, () => mustHelm(c.cp, ['push', chart.tgz, oci(), '--plain-http']));
      expect(`${r.stdout}${r.stderr}`).toContain(`Pushed: ${registry.address}/istio-charts/${chart.name}:${version}`);
      const tags = (await (await fetch(`http://${registry.address}/v2/istio-charts/${chart.name}/tags/list`)).json()) as { tags: string[] };
      expect(tags.tags).toContain(version);
      const manifestUrl = `http://${registry.address}/v2/istio-charts/${chart.name}/manifests/${version}`;
      const manifest = (await (await fetch(manifestUrl, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json()) as { layers: Array<{ mediaType: string }> };
      expect(manifest.layers.map((l) => l.mediaType).sort()).toEqual([
        'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        'application/vnd.cncf.helm.chart.provenance.v1.prov',
      ]);
    }
  });

  test('helm show values of oci://…/istiod --version is the chart’s values.yaml, with helm 3 and 4', () => {
    const values = readFileSync(join(CHARTS_DIR, 'istiod', 'values.yaml'), 'utf8');
    for (const major of ['v3', 'v4'] as const) {
      const r = c.cp.helm(['show', 'values', `${oci()}/istiod`, '--version', version, '--plain-http'], major);
      expect([major, r.status, r.stderr]).toEqual([major, 0, expect.any(String)]);
      // helm ends what it prints with one more newline
      expect(r.stdout.trimEnd()).toBe(values.trimEnd());
    }
  });

  test('a fix of the same Istio release orders above it; --version with the Istio number keeps the first charts', () => {
    const fix = chartVersion(ISTIO_VERSION, 1);
    const dir = join(work, 'fix');
    const pack = spawnSync(helmBinary('v3'), ['package', join(CHARTS_DIR, 'istiod'), '--version', fix, '--destination', dir], { encoding: 'utf8' });
    expect([pack.status, pack.stderr]).toEqual([0, expect.any(String)]);
    mustHelm(c.cp, ['push', join(dir, `istiod-${fix}.tgz`), oci(), '--plain-http']);
    const shown = (args: string[]) => YAML.parse(mustHelm(c.cp, ['show', 'chart', `${oci()}/istiod`, '--plain-http', ...args]).stdout);
    expect(shown(['--devel'])).toMatchObject({ version: fix, appVersion: ISTIO_VERSION });
    expect(shown(['--version', ISTIO_VERSION]).version).toBe(ISTIO_VERSION);
    // the trade-off of the scheme (README "Chart versions"): a range without a prerelease part skips fixes
    expect(shown(['--version', `~${ISTIO_VERSION}`]).version).toBe(ISTIO_VERSION);
    expect(shown(['--version', `~${ISTIO_VERSION}-0`]).version).toBe(fix);
  });

  test('base and istiod install from the registry, verified against the published key, and istiod serves', async () => {
    const verify = ['--verify', '--keyring', packaged.publicKeyring];
    timed('install base (OCI)', () => mustHelm(c.cp, ['install', 'istio-base', `${oci()}/base`, '--version', version, '--plain-http', ...verify, '-n', 'istio-system', '--create-namespace']));
    timed('install istiod (OCI, --wait)', () =>
      mustHelm(c.cp, ['install', 'istiod', `${oci()}/istiod`, '--version', version, '--plain-http', ...verify, '-n', 'istio-system', ...upstreamEnvoy, '--wait', '--timeout', '3m']),
    );
    await waitForIstiod(c.cp);
    const releases = JSON.parse(mustHelm(c.cp, ['list', '-n', 'istio-system', '-o', 'json']).stdout);
    expect(releases.map((r: { name: string; chart: string; app_version: string }) => [r.name, r.chart, r.app_version]).sort()).toEqual([
      ['istio-base', `base-${version}`, ISTIO_VERSION],
      ['istiod', `istiod-${version}`, ISTIO_VERSION],
    ]);
  });
});

describe('a classic chart repository (dist/ over HTTP)', () => {
  beforeAll(async () => {
    // the OCI release makes way; base stays, as between two istiod installs of one cluster
    mustHelm(c.cp, ['uninstall', 'istiod', '-n', 'istio-system', '--wait']);
    repository = await serveDirectory(join(work, 'dist'));
    mustHelm(c.cp, ['repo', 'add', 'istio-charts', `http://${repository.address}`]);
  }, 300_000);

  test('helm search repo lists every chart at the chart and Istio versions', () => {
    const found = JSON.parse(mustHelm(c.cp, ['search', 'repo', 'istio-charts/', '-o', 'json']).stdout);
    expect(found.map((f: { name: string; version: string; app_version: string }) => [f.name, f.version, f.app_version]).sort()).toEqual(
      ['base', 'cni', 'gateway', 'istiod', 'ztunnel'].map((n) => [`istio-charts/${n}`, version, ISTIO_VERSION]),
    );
  });

  test('helm install istio-charts/istiod --verify installs a verified istiod that serves', async () => {
    const r = timed('install istiod (classic, --verify, --wait)', () =>
      mustHelm(c.cp, ['install', 'istiod', 'istio-charts/istiod', '--verify', '--keyring', packaged.publicKeyring, '-n', 'istio-system', ...upstreamEnvoy, '--wait', '--timeout', '3m']),
    );
    expect(r.stdout).toContain('STATUS: deployed');
    await waitForIstiod(c.cp);
  });
});
