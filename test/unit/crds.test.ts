/** The CRD data file and its provenance. */
import { readFileSync } from 'fs';
import * as YAML from 'yaml';
import { CRD_FILE, loadCrds, provenance, sha256 } from '../../src/crds';
import { ISTIO_API_MODULE } from '../../src/versions';

test('the CRD file matches the checksum recorded in provenance.json', () => {
  expect(sha256(readFileSync(CRD_FILE))).toBe(provenance().sha256);
});

test('provenance names the pinned istio.io/api module', () => {
  expect(provenance()).toMatchObject({ module: ISTIO_API_MODULE.path, version: ISTIO_API_MODULE.version, path: 'kubernetes/customresourcedefinitions.gen.yaml' });
});

test('the file holds the 15 Istio CRDs, each with the keep annotation', () => {
  const crds = loadCrds();
  expect(crds.map((c) => c.kind).sort()).toEqual([
    'AuthorizationPolicy', 'DestinationRule', 'EnvoyFilter', 'Gateway', 'PeerAuthentication', 'ProxyConfig',
    'RequestAuthentication', 'ServiceEntry', 'Sidecar', 'Telemetry', 'TrafficExtension', 'VirtualService',
    'WasmPlugin', 'WorkloadEntry', 'WorkloadGroup',
  ]);
  for (const c of crds) expect(c.annotations['helm.sh/resource-policy']).toBe('keep');
});

test('the spec text taken verbatim parses to the same spec', () => {
  for (const c of loadCrds()) expect(YAML.parse(c.specText)).toEqual(c.object.spec);
});
