/**
 * A plain HTTP GET with a Host header of our choosing, from this machine (fetch cannot set
 * Host: it is a forbidden header there), for requests to gateways by virtual host.
 */
import * as http from 'http';

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
