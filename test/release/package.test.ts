/**
 * `npm run package`: every chart packaged and signed, a classic repository index over them, the
 * public key beside them, and `helm verify` passing on what was written (and failing on a
 * package whose provenance is another's).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { PackageResult, packageCharts } from '../../src/release/package';
import { helmBinary } from '../../src/tools/helm';
import { ISTIO_VERSION, KUBERNETES_MIN_MINOR, chartVersion } from '../../src/versions';

const out = mkdtempSync(join(tmpdir(), 'istio-charts-package-'));
let result: PackageResult;

beforeAll(() => {
  result = packageCharts({ out });
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const helm = (args: string[]) => spawnSync(helmBinary('v4'), args, { encoding: 'utf8' });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('every chart is packaged at the chart version and signed with the published key', () => {
  expect(result.charts.map((c) => [c.name, c.version])).toEqual(['base', 'istiod', 'cni', 'ztunnel', 'gateway'].map((n) => [n, chartVersion()]));
  for (const c of result.charts) {
    const r = helm(['verify', c.tgz, '--keyring', result.publicKeyring]);
    expect([c.name, r.status]).toEqual([c.name, 0]);
    expect(r.stdout).toContain('Signed by: istio-charts release signing');
    expect(r.stdout).toContain(`Chart Hash Verified: sha256:${sha256(c.tgz)}`);
  }
  expect(readFileSync(result.publicKeyArmored, 'utf8')).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
});

test('helm verify refuses a package that differs from what was signed', () => {
  const dir = join(out, 'tampered');
  mkdirSync(dir);
  const [, istiod] = result.charts;
  const name = `istiod-${istiod.version}.tgz`;
  // a chart of the same name and version whose archive is not the signed one (gateway's bytes)
  copyFileSync(result.charts.find((c) => c.name === 'gateway')!.tgz, join(dir, name));
  copyFileSync(istiod.prov, join(dir, `${name}.prov`));
  const r = helm(['verify', join(dir, name), '--keyring', result.publicKeyring]);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(`sha256 sum does not match for ${name}`);
});

test('index.yaml lists each package with its digest, and the Chart.yaml fields Artifact Hub reads', () => {
  const index = YAML.parse(readFileSync(result.index, 'utf8'));
  for (const c of result.charts) {
    const [entry] = index.entries[c.name];
    expect(entry).toMatchObject({ version: c.version, appVersion: ISTIO_VERSION, digest: sha256(c.tgz), urls: [`${c.name}-${c.version}.tgz`] });
    expect(entry).toMatchObject({ kubeVersion: `>=1.${KUBERNETES_MIN_MINOR}.0-0`, home: expect.any(String), sources: expect.any(Array), maintainers: [{ name: expect.any(String) }] });
    expect(entry.annotations['artifacthub.io/license']).toBe('Apache-2.0');
  }
  const images = (name: string) => YAML.parse(index.entries[name][0].annotations['artifacthub.io/images']);
  expect(images('istiod')).toEqual([
    { name: 'pilot', image: `docker.io/istio/pilot:${ISTIO_VERSION}` },
    { name: 'proxyv2', image: `docker.io/istio/proxyv2:${ISTIO_VERSION}` },
  ]);
  expect(images('gateway')).toEqual([{ name: 'proxyv2', image: `docker.io/istio/proxyv2:${ISTIO_VERSION}` }]);
  expect(images('cni')).toEqual([{ name: 'install-cni', image: `docker.io/istio/install-cni:${ISTIO_VERSION}` }]);
  expect(images('ztunnel')).toEqual([{ name: 'ztunnel', image: `docker.io/istio/ztunnel:${ISTIO_VERSION}` }]);
});

test('chart versions: the Istio number first, then fixes that order above it and below the next patch', () => {
  expect(chartVersion('1.31.4', 0)).toBe('1.31.4');
  expect(chartVersion('1.31.4', 2)).toBe('1.31.5-0.fix.2');
  expect(() => chartVersion('1.31', 0)).toThrow('Istio version "1.31" is not MAJOR.MINOR.PATCH');
  expect(() => chartVersion('1.31.4', -1)).toThrow('chart fix number -1 is not a non-negative integer');
});
