/**
 * A plain HTTP GET with a Host header of our choosing, from this machine (fetch cannot set
 * Host: it is a forbidden header there), for requests to gateways by virtual host.
 */
import * as http from 'http';
import * as https from 'https';

export function httpGet(url: string, host?: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: host ? { host } : {}, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}

export interface JsonRequest {
  readonly method: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** Sent as is when a string, else as JSON. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** The CA to trust for https. */
  readonly ca?: Buffer;
  readonly timeoutMs?: number;
}

/** A response's status and body: parsed when it is JSON, the text otherwise (e.g. /readyz). */
export function readJsonBody(res: http.IncomingMessage): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    let data = '';
    res.setEncoding('utf8');
    res.on('data', (c) => (data += c));
    res.on('error', reject);
    res.on('end', () => {
      let body: any = data;
      try {
        body = JSON.parse(data);
      } catch {
        /* not JSON */
      }
      resolve({ status: res.statusCode ?? 0, body });
    });
  });
}

/**
 * One HTTP(S) request on a fresh connection (a kept-alive socket the server has closed would
 * surface as a reset), JSON in and out; a transport failure rejects with Node's error and its
 * code, an HTTP error status resolves.
 */
export function requestJsonOnce(url: string, r: JsonRequest): Promise<{ status: number; body: any }> {
  const payload = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const timeoutMs = r.timeoutMs ?? 30_000;
  const headers = { accept: 'application/json', ...r.headers, ...(payload !== undefined ? { 'content-type': r.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) };
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method: r.method, headers, ca: r.ca, timeout: timeoutMs, agent: false }, (res) => readJsonBody(res).then(resolve, reject));
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
