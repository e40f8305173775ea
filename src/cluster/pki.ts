/**
 * Credentials generated fresh for each control plane (openssl): a cluster CA, the
 * apiserver's serving certificate, the service-account signing key pair, an admin token, and
 * the pair a kubelet API needs: the node's serving certificate (its addresses as IP SANs) and
 * the apiserver's client certificate for dialing nodes.
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { join } from 'path';

export interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly saPublicKey: string;
  readonly saPrivateKey: string;
  readonly tokenFile: string;
  readonly adminToken: string;
  readonly caKey: string;
  /** The nodes' kubelet API serving certificate, for every node address. */
  readonly kubeletCert: string;
  readonly kubeletKey: string;
  /** What the apiserver presents to a kubelet API (CN kube-apiserver-kubelet-client, O system:masters). */
  readonly kubeletClientCert: string;
  readonly kubeletClientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A key and a certificate the cluster CA signs, with the given subject and extensions. */
export function signedByCa(dir: string, name: string, subject: string, extensions: string[]): { cert: string; key: string } {
  writeFileSync(join(dir, `${name}.ext`), [...extensions, ''].join('\n'));
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

export function generatePki(dir: string, serverAddress: string, serviceAddress: string, nodeAddresses: string[]): Pki {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=istio-charts-test-ca'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=IP:${serverAddress},IP:${serviceAddress},IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
      '',
    ].join('\n'),
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext'], dir);
  const kubelet = signedByCa(dir, 'kubelet', '/CN=local-node', ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', `subjectAltName=${nodeAddresses.map((a) => `IP:${a}`).join(',')}`]);
  const kubeletClient = signedByCa(dir, 'kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth']);
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const adminToken = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  return {
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    saPublicKey: join(dir, 'sa.pub'),
    saPrivateKey: join(dir, 'sa.key'),
    tokenFile: join(dir, 'tokens.csv'),
    adminToken,
    caKey: join(dir, 'ca.key'),
    kubeletCert: kubelet.cert,
    kubeletKey: kubelet.key,
    kubeletClientCert: kubeletClient.cert,
    kubeletClientKey: kubeletClient.key,
  };
}

/** A kubeconfig for the admin token. */
export function writeKubeconfig(path: string, server: string, caCert: string, token: string): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'certificate-authority': caCert } }],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'admin' } }],
    'current-context': 'local',
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}
