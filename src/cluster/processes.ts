/**
 * Local processes of a control plane: started inside its network namespace, logged to a file,
 * stopped by PID (never by name), and killed on exit even when a test run crashes.
 */
import { execFileSync, spawn } from 'child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, rmSync } from 'fs';
import * as net from 'net';

/** Where a process's output goes line by line instead of a file (a pod's container: node/cri-log.ts). */
export interface OutputSink {
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** Both streams have closed. */
  close(): void;
}

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  /** Network namespace to run in. */
  readonly netns: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where its output goes, as is, unless `output` takes it. */
  readonly logFile: string;
  readonly output?: OutputSink;
}

export class LocalProcess {
  private exited = false;
  private code: number | null = null;
  private readonly done: Promise<void>;

  private constructor(
    public readonly spec: ProcessSpec,
    public readonly pid: number,
    child: ReturnType<typeof spawn>,
  ) {
    this.done = new Promise((resolve) =>
      child.on('exit', (code) => {
        // whatever it started dies with it (pilot-agent's Envoy), as in a container's PID namespace
        killGroup(pid, 'SIGKILL');
        this.exited = true;
        this.code = code;
        live.delete(this);
        resolve();
      }),
    );
  }

  static start(spec: ProcessSpec): LocalProcess {
    const output = spec.output;
    const pipes = output ? { stdout: fifo(`${spec.logFile}.stdout`), stderr: fifo(`${spec.logFile}.stderr`) } : undefined;
    const log = pipes ? undefined : openSync(spec.logFile, 'a');
    // `ip netns exec` and setpriv exec the command in place, so the PID is the program's own;
    // --pdeathsig kills it if this process dies without stopping it (killed by a signal, say)
    const child = spawn('ip', ['netns', 'exec', spec.netns, 'setpriv', '--pdeathsig', 'KILL', '--', spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', pipes?.stdout.write ?? log!, pipes?.stderr.write ?? log!],
      // a process group of its own, led by the program: stopping it stops what it started
      detached: true,
    });
    if (log !== undefined) closeSync(log);
    if (pipes && output) {
      // both streams end when the last process holding them (Envoy after pilot-agent) is gone
      let open = 2;
      for (const stream of ['stdout', 'stderr'] as const) {
        closeSync(pipes[stream].write);
        const reader = new net.Socket({ fd: pipes[stream].read, readable: true, writable: false });
        reader.on('data', (d: Buffer) => output.write(stream, d));
        reader.on('close', () => --open === 0 && output.close());
      }
    }
    if (child.pid === undefined) throw new Error(`could not start ${spec.name}`);
    const p = new LocalProcess(spec, child.pid, child);
    live.add(p);
    return p;
  }

  /** Resolves with the exit code (null when killed by a signal) once it has exited. */
  exitCode(): Promise<number | null> {
    return this.done.then(() => this.code);
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Last lines of its log, for error messages. */
  logTail(lines = 30): string {
    if (!existsSync(this.spec.logFile)) return '';
    return readFileSync(this.spec.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** Fail with its log if it has exited. */
  assertRunning(): void {
    if (this.exited) throw new Error(`${this.spec.name} exited (code ${this.code}); its log ends with:\n${this.logTail()}`);
  }

  /** SIGTERM to the program, then SIGKILL to its whole group if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([this.done, timeout])) === 'timeout') {
      killGroup(this.pid, 'SIGKILL');
      await this.done;
    }
  }
}

/**
 * A real pipe for a child's output: a FIFO, unlinked once both ends are open. Node's own 'pipe'
 * is a socket, and a program that reopens /dev/stdout (Envoy's access log) cannot open a socket.
 * Anyone may open it (the container's user reopens it through /proc/self/fd), but only while
 * it has a name, which is for a moment in the cluster's own directory.
 */
function fifo(path: string): { read: number; write: number } {
  rmSync(path, { force: true });
  execFileSync('mkfifo', ['-m', '666', path]);
  try {
    // the read end first, without waiting for a writer; then the write end, which has a reader
    const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return { read, write: openSync(path, constants.O_WRONLY) };
  } finally {
    rmSync(path, { force: true });
  }
}

const live = new Set<LocalProcess>();
const exitHooks: Array<() => void> = [];

/** Run `hook` (synchronously) when this Node process exits, after killing live processes. */
export function onExit(hook: () => void): () => void {
  exitHooks.push(hook);
  return () => {
    const i = exitHooks.indexOf(hook);
    if (i >= 0) exitHooks.splice(i, 1);
  };
}

/** Signal a process group by its leader's PID; a group already gone is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* gone */
  }
}

process.on('exit', () => {
  for (const p of live) killGroup(p.pid, 'SIGKILL');
  for (const hook of exitHooks.splice(0)) hook();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}
