/**
 * Container probes as the kubelet runs them: httpGet (2xx and 3xx succeed), tcpSocket, and
 * exec (run inside the container's namespace and user). gRPC probes count as passing: no
 * program the node runs declares one.
 */
import { spawn } from 'child_process';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import type { V1Container, V1LifecycleHandler, V1Probe } from '@kubernetes/client-node';

function portOf(c: V1Container, port: number | string | undefined): number {
  if (typeof port === 'number') return port;
  const named = c.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  if (Number.isInteger(n)) return n;
  throw new Error(`probe port ${JSON.stringify(port)} names no port of container ${c.name}`);
}

function httpProbe(probe: NonNullable<V1Probe['httpGet']>, host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const lib = probe.scheme === 'HTTPS' ? https : http;
    const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.36' };
    for (const h of probe.httpHeaders ?? []) headers[h.name] = h.value;
    const req = lib.request({ host: probe.host ?? host, port, path: probe.path ?? '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Runs an exec probe's command like the container's own process (the launch's setup script). */
export type ExecInContainer = (argv: string[], timeoutMs: number) => Promise<boolean>;

export function execProbe(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    child.on('error', () => resolve(false));
  });
}

export async function runProbe(probe: V1Probe, c: V1Container, podIP: string, exec: ExecInContainer): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) return httpProbe(probe.httpGet, podIP, portOf(c, probe.httpGet.port as number | string), timeoutMs);
  if (probe.tcpSocket) return tcpProbe(probe.tcpSocket.host ?? podIP, portOf(c, probe.tcpSocket.port as number | string), timeoutMs);
  if (probe.exec?.command?.length) return exec(probe.exec.command, timeoutMs);
  return true;
}

/**
 * A lifecycle hook (preStop), as the kubelet runs one before the container's SIGTERM: a sleep,
 * or an exec or HTTP GET run like a probe's. Ends when the hook does or `timeoutMs` (what is
 * left of the grace period) passes; its outcome does not stop the termination.
 */
export async function runHook(hook: V1LifecycleHandler, c: V1Container, podIP: string, exec: ExecInContainer, timeoutMs: number): Promise<void> {
  if (hook.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(hook.sleep!.seconds * 1000, timeoutMs)));
    return;
  }
  await runProbe({ exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, timeoutSeconds: timeoutMs / 1000 }, c, podIP, exec);
}

/**
 * The period the node probes at: the probe's own, but at most PROBE_PERIOD_CAP_S so that a
 * pod becomes Ready within a second or two of its program (as tests and `--wait` expect).
 */
export const PROBE_PERIOD_CAP_S = 2;

/** Consecutive-result bookkeeping for one probe (success and failure thresholds). */
export class ProbeState {
  private successes = 0;
  private failures = 0;
  private nextAt: number;
  result: boolean | undefined;

  constructor(readonly probe: V1Probe, startedAt: number) {
    this.nextAt = startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
  }

  due(now: number): boolean {
    return now >= this.nextAt;
  }

  record(ok: boolean, now: number): void {
    this.nextAt = now + Math.min(this.probe.periodSeconds ?? 10, PROBE_PERIOD_CAP_S) * 1000;
    if (ok) {
      this.failures = 0;
      if (++this.successes >= (this.probe.successThreshold ?? 1)) this.result = true;
    } else {
      this.successes = 0;
      if (++this.failures >= (this.probe.failureThreshold ?? 3)) this.result = false;
    }
  }
}
