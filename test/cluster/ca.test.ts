/**
 * Workload identity from the real istiod CA: a certificate requested with a service-account
 * token carries the SPIFFE ID of that account under the configured trust domain.
 */
import { X509Certificate } from 'crypto';
import { httpbin, sleep } from '../../src/cluster/samples';
import { create, createNamespace, installIstio, useControlPlane } from '../support/cluster';
import { createCertificate, newCsr } from '../support/istio-ca';
import { clientCert, curl, eventually } from '../support/mesh';

const TRUST_DOMAIN = 'mesh.example.org';
const c = useControlPlane(async (cluster) => {
  await installIstio(cluster, ['--set', `meshConfig.trustDomain=${TRUST_DOMAIN}`]);
  await createNamespace(cluster.cp, 'foo');
  const sa = await create(cluster.cp, '/api/v1/namespaces/foo/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bar' } });
  if (sa.status !== 201) throw new Error(`ServiceAccount: ${JSON.stringify(sa.body)}`);
});

async function token(audience: string): Promise<string> {
  const r = await create(c.cp, '/api/v1/namespaces/foo/serviceaccounts/bar/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [audience], expirationSeconds: 600 } });
  if (r.status !== 201) throw new Error(`token: ${JSON.stringify(r.body)}`);
  return r.body.status.token;
}

async function rootCert(): Promise<string> {
  const secret = await c.cp.get('/api/v1/namespaces/istio-system/secrets/istio-ca-secret');
  return Buffer.from(secret.data['ca-cert.pem'], 'base64').toString();
}

test('a certificate for foo/bar carries spiffe://<trustDomain>/ns/foo/sa/bar, signed by istiod\'s root', async () => {
  const root = await rootCert();
  const r = await createCertificate({ address: c.istiod!.address, rootCert: root, token: await token('istio-ca'), csr: newCsr() });
  expect([r.grpcStatus, r.grpcMessage]).toEqual([0, '']);
  const leaf = new X509Certificate(r.certChain[0]);
  expect(leaf.subjectAltName).toBe(`URI:spiffe://${TRUST_DOMAIN}/ns/foo/sa/bar`);
  expect(leaf.checkIssued(new X509Certificate(root))).toBe(true);
  expect(leaf.verify(new X509Certificate(root).publicKey)).toBe(true);
});

test('a token for another audience is refused', async () => {
  const r = await createCertificate({ address: c.istiod!.address, rootCert: await rootCert(), token: await token('somebody-else'), csr: newCsr() });
  expect(r.grpcStatus).toBe(16); // UNAUTHENTICATED
  expect(r.certChain).toEqual([]);
});

test('the trust domain reached istiod through the mesh ConfigMap', async () => {
  const mesh = await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio');
  expect(mesh.data.mesh).toContain(`trustDomain: ${TRUST_DOMAIN}`);
});

test('sidecars get certificates of the configured trust domain: the server sees the client as spiffe://<trustDomain>/...', async () => {
  await createNamespace(c.cp, 'td', { 'istio-injection': 'enabled' });
  c.cp.apply(`${httpbin({ namespace: 'td' })}\n---\n${sleep({ namespace: 'td' })}`);
  await c.cluster.waitForRollout('td', 'httpbin');
  await c.cluster.waitForRollout('td', 'sleep');
  const r = await eventually(async () => {
    const x = await curl(c, 'td', 'app=sleep', 'sleep', 'http://httpbin:8000/headers');
    expect(x.status).toBe(200);
    return x;
  });
  expect(clientCert(r.body)).toMatchObject({ uri: `spiffe://${TRUST_DOMAIN}/ns/td/sa/sleep`, by: `spiffe://${TRUST_DOMAIN}/ns/td/sa/httpbin` });
});
