/**
 * Bounded retries of requests that failed on the connection, not in the answer: a reset or
 * broken pipe (a server restarting, a keep-alive socket closed under us), a refusal while a
 * server is still starting. An HTTP status is an answer and is never retried here. Every error
 * that leaves names the request that failed.
 *
 * Hand-written rather than p-retry: its current lines are ESM-only and this project loads as
 * CommonJS (ts-node, jest); the loop is a few lines.
 */

/** How far a request is retried: at most `attempts` tries, and none started after `totalMs`. */
export interface RetryBound {
  readonly attempts: number;
  readonly totalMs: number;
}

export const DEFAULT_RETRY: RetryBound = { attempts: 6, totalMs: 20_000 };

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED']);

/** A failure of the connection that a second try may not see. */
export function isTransient(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (!err) return false;
  if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  if (typeof err.message === 'string' && /socket hang up/.test(err.message)) return true;
  // fetch wraps the socket error in its cause
  return err.cause !== undefined && err.cause !== e && isTransient(err.cause);
}

/** `METHOD path` and, when the body is an object, its kind and name: how errors name a request. */
export function describeRequest(method: string, path: string, body?: unknown): string {
  const o = typeof body === 'string' ? tryParse(body) : body;
  const meta = (o as { kind?: string; metadata?: { name?: string; namespace?: string } } | undefined) ?? undefined;
  const object = meta?.kind && meta.metadata?.name ? ` (${meta.kind} ${meta.metadata.namespace ? `${meta.metadata.namespace}/` : ''}${meta.metadata.name})` : '';
  return `${method} ${path.split('?')[0]}${object}`;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Run `attempt` until it resolves, retrying transient connection errors within `bound`
 * (back-off 100 ms doubling to 2 s). Errors are rethrown with `request` in front; a transient one
 * that outlasted the bound also says how many tries it took.
 */
export async function retryTransient<T>(request: string, attempt: () => Promise<T>, bound: RetryBound = DEFAULT_RETRY): Promise<T> {
  const started = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      const delay = Math.min(100 * 2 ** (tries - 1), 2000);
      if (!isTransient(e)) throw withCause(`${request}: ${message}`, e);
      if (tries >= bound.attempts || Date.now() - started + delay > bound.totalMs) {
        throw withCause(`${request}: ${message} (connection failed ${tries} times in ${((Date.now() - started) / 1000).toFixed(1)} s)`, e);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function withCause(message: string, cause: unknown): Error {
  const err = new Error(message, { cause });
  const code = (cause as { code?: unknown })?.code;
  if (code !== undefined) (err as Error & { code?: unknown }).code = code;
  return err;
}
