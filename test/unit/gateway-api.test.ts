/**
 * The Gateway API CRDs read from the module istiod is built against: the standard channel the
 * cluster tests apply, and the experimental one the conformance suite checks its bundle against.
 */
import * as YAML from 'yaml';
import { gatewayApiCrds, gatewayApiVersion } from '../../src/cluster/gateway-api';

function crds(channel: 'standard' | 'experimental') {
  return YAML.parseAllDocuments(gatewayApiCrds(channel))
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'CustomResourceDefinition');
}

test.each(['standard', 'experimental'] as const)('%s: every CRD of the bundle at istiod\'s gateway-api version, labelled with that channel', (channel) => {
  const list = crds(channel);
  expect(list.length).toBeGreaterThan(5);
  for (const crd of list) {
    expect([crd.metadata.name, crd.metadata.annotations['gateway.networking.k8s.io/bundle-version']]).toEqual([crd.metadata.name, gatewayApiVersion()]);
    expect([crd.metadata.name, crd.metadata.annotations['gateway.networking.k8s.io/channel']]).toEqual([crd.metadata.name, channel]);
  }
});

test('experimental adds the x-k8s.io kinds (XMesh among them) to the standard ones', () => {
  const standard = crds('standard').map((c) => c.metadata.name);
  const experimental = crds('experimental').map((c) => c.metadata.name);
  expect(experimental).toEqual(expect.arrayContaining(standard));
  expect(experimental).toContain('xmeshes.gateway.networking.x-k8s.io');
  expect(standard.some((n) => n.endsWith('.x-k8s.io'))).toBe(false);
});
