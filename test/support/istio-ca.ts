/**
 * A workload certificate request to istiod's CA, as the proxy makes it: gRPC over TLS to
 * 15012, IstioCertificateService/CreateCertificate, authenticated by a service-account token
 * with the istio-ca audience. The two messages are small enough to encode by hand
 * (IstioCertificateRequest: csr = 1, validity_duration = 3, metadata = 4; response: cert_chain = 1).
 * ztunnel asks on behalf of a pod of its node by naming the pod's identity in the metadata
 * (a google.protobuf.Struct with the string field `ImpersonatedIdentity`).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as http2 from 'http2';
import { tmpdir } from 'os';
import { join } from 'path';

function varint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** A length-delimited field: tag, length, bytes. */
function bytesField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(bytes.length), bytes]);
}

/** Struct { map<string, Value> fields = 1 }, each Value a string_value (3). */
function encodeStruct(fields: Record<string, string>): Buffer {
  return Buffer.concat(
    Object.entries(fields).map(([k, v]) => bytesField(1, Buffer.concat([bytesField(1, Buffer.from(k)), bytesField(2, bytesField(3, Buffer.from(v)))]))),
  );
}

function encodeRequest(csr: string, validitySeconds: number, metadata?: Record<string, string>): Buffer {
  return Buffer.concat([
    bytesField(1, Buffer.from(csr)),
    Buffer.from([(3 << 3) | 0]),
    varint(validitySeconds),
    ...(metadata ? [bytesField(4, encodeStruct(metadata))] : []),
  ]);
}

function decodeCertChain(msg: Buffer): string[] {
  const chain: string[] = [];
  let i = 0;
  const readVarint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = msg[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  while (i < msg.length) {
    const key = readVarint();
    const wire = key & 7;
    if (wire === 2) {
      const len = readVarint();
      if (key >> 3 === 1) chain.push(msg.subarray(i, i + len).toString());
      i += len;
    } else if (wire === 0) readVarint();
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return chain;
}

/** A fresh P-256 key and CSR (the CA ignores the CSR's names and uses the caller's identity). */
export function newCsr(): string {
  const dir = mkdtempSync(join(tmpdir(), 'csr-'));
  try {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'r.pem'), '-subj', '/O=test'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'r.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CaResult {
  readonly grpcStatus: number;
  readonly grpcMessage: string;
  readonly certChain: string[];
}

export function createCertificate(opts: { address: string; rootCert: string; token: string; csr: string; namespace?: string; impersonate?: string; clusterId?: string }): Promise<CaResult> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`https://${opts.address}:15012`, {
      ca: opts.rootCert,
      servername: `istiod.${opts.namespace ?? 'istio-system'}.svc`,
    });
    client.on('error', reject);
    const message = encodeRequest(opts.csr, 3600, opts.impersonate ? { ImpersonatedIdentity: opts.impersonate } : undefined);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt8(0, 0);
    frame.writeUInt32BE(message.length, 1);
    message.copy(frame, 5);
    const req = client.request({
      ':method': 'POST',
      ':path': '/istio.v1.auth.IstioCertificateService/CreateCertificate',
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${opts.token}`,
      // the proxy's cluster, as ztunnel and the agent send it; istiod's node authorizer is per cluster
      ...(opts.clusterId ? { clusterid: opts.clusterId } : {}),
    });
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => (headers = h));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('trailers', (t) => (headers = { ...headers, ...t }));
    req.on('end', () => {
      client.close();
      const body = Buffer.concat(chunks);
      const status = Number(headers['grpc-status'] ?? -1);
      const certChain = status === 0 && body.length >= 5 ? decodeCertChain(body.subarray(5, 5 + body.readUInt32BE(1))) : [];
      resolve({ grpcStatus: status, grpcMessage: decodeURIComponent(String(headers['grpc-message'] ?? '')), certChain });
    });
    req.on('error', reject);
    req.end(frame);
  });
}
