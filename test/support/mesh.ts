/** Requests across the local cluster's mesh, from inside a pod (as `kubectl exec ... curl`). */
import { clientIdentities } from '../../src/cluster/samples';
import { Cluster } from './cluster';

export interface Reply {
  /** HTTP status, or 0 when no response came (curl's exit code says why). */
  readonly status: number;
  readonly body: string;
  readonly curlExit: number | null;
  readonly stderr: string;
}

/** curl from the first pod matching `selector`, in its container `container`. */
export async function curl(c: Cluster, namespace: string, selector: string, container: string, url: string, extra: string[] = []): Promise<Reply> {
  const r = await c.cluster.exec(namespace, selector, container, ['curl', '-sS', '--max-time', '5', '-w', '\n%{http_code}', ...extra, url]);
  const cut = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(cut + 1)) || 0, body: r.stdout.slice(0, Math.max(cut, 0)), curlExit: r.code, stderr: r.stderr };
}

/** The identities in an x-forwarded-client-cert header as go-httpbin echoes it back. */
export function clientCert(body: string): { by?: string; uri?: string; raw: string } {
  return clientIdentities(JSON.parse(body).headers ?? {});
}

/**
 * Retry `check` until it passes: configuration reaches the proxies over xDS within a second
 * or so, and a test must not race the push.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** `n` requests in one shell loop in the client pod; returns each body. */
export async function requests(c: Cluster, namespace: string, selector: string, container: string, url: string, n: number, extra: string[] = []): Promise<string[]> {
  const args = extra.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `i=0; while [ $i -lt ${n} ]; do curl -sS --max-time 5 ${args} '${url}'; echo; echo '@@'; i=$((i+1)); done`;
  const r = await c.cluster.exec(namespace, selector, container, ['sh', '-c', script], 120_000);
  return r.stdout.split('@@\n').filter((s) => s.trim());
}
