/**
 * A steady-load probe (issue 23's first piece): requests at a fixed rate from this machine, each
 * on its own schedule (a slow answer does not delay the next request), no retries, over
 * keep-alive connections as a real client keeps them. It counts what a user would count as lost:
 * a non-2xx status, a reset or refused connection, a timeout; and the longest run of
 * consecutive failures, which says whether a loss was a blip or an outage.
 */
import * as http from 'http';

export interface LoadProbeOptions {
  readonly url: string;
  /** The Host header (a gateway's virtual host). @default the URL's host */
  readonly host?: string;
  /** @default 20 */
  readonly ratePerSecond?: number;
  /** A request without a complete answer by then failed. @default 2000 */
  readonly timeoutMs?: number;
}

export interface LoadProbeReport {
  readonly sent: number;
  readonly failed: number;
  /** The most consecutive failures, in the order the requests were sent. */
  readonly longestFailureRun: number;
  /** The first few failures' reasons (status or error), for messages. */
  readonly firstFailures: string[];
}

export interface LoadProbe {
  /** Stops sending, waits for every request in flight, and reports. */
  stop(): Promise<LoadProbeReport>;
}

/** The report of an ordered list of outcomes (undefined = success, else the failure's reason). */
export function summarize(outcomes: ReadonlyArray<string | undefined>): LoadProbeReport {
  let run = 0;
  let longest = 0;
  for (const o of outcomes) {
    run = o === undefined ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  const failures = outcomes.filter((o): o is string => o !== undefined);
  return { sent: outcomes.length, failed: failures.length, longestFailureRun: longest, firstFailures: failures.slice(0, 5) };
}

export function startLoadProbe(o: LoadProbeOptions): LoadProbe {
  const rate = o.ratePerSecond ?? 20;
  if (!(rate > 0 && rate <= 200)) throw new Error(`load probe rate ${rate}/s is outside 1..200 (tests are bounded in count and time)`);
  const timeoutMs = o.timeoutMs ?? 2000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const outcomes: Array<string | undefined> = [];
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const index = outcomes.length;
    outcomes.push('in flight');
    const done = new Promise<void>((resolve) => {
      const finish = (reason: string | undefined) => {
        outcomes[index] = reason;
        resolve();
      };
      const req = http.get(o.url, { agent, headers: o.host ? { host: o.host } : {}, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode && res.statusCode < 300 && res.statusCode >= 200 ? undefined : `status ${res.statusCode}`));
        res.on('error', (e) => finish(e.message));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', (e) => finish((e as NodeJS.ErrnoException).code ?? e.message));
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const timer = setInterval(send, 1000 / rate);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
      return summarize(outcomes);
    },
  };
}
