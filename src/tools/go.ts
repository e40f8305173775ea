/** Builds Go programs from the module proxy into the cache, once per version. */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { binDir } from './cache';

export interface GoInstall {
  /** What to tell the user while it builds. */
  readonly label: string;
  /** `module/cmd/x@version` package patterns, all of one module version. */
  readonly packages: string[];
  /** Directory the binaries land in (created, filled atomically). */
  readonly dir: string;
  /** Names of the binaries expected in `dir`. */
  readonly binaries: string[];
  readonly ldflags?: string;
  readonly tags?: string;
}

/** Thrown instead of building while building is switched off (see locateOnly). */
export class NotBuilt extends Error {}

let buildingOff = false;

/**
 * Runs `find` with building switched off: its answer when everything it needs is cached,
 * undefined when it would have to build or fetch something. The parallel builder asks this
 * first, so only what is missing gets a build process of its own.
 */
export function locateOnly<T>(find: () => T): T | undefined {
  buildingOff = true;
  try {
    return find();
  } catch (e) {
    if (e instanceof NotBuilt) return undefined;
    throw e;
  } finally {
    buildingOff = false;
  }
}

/** Every builder calls this once it knows it must build or fetch `what`. */
export function startingBuild(what: string): void {
  if (buildingOff) throw new NotBuilt(what);
}

const moduleDirs = new Map<string, string>();

/**
 * The directory of `module@version` in the Go module cache, downloaded through the proxy the
 * first time; remembered per process (pod starts read files from it, and must not run go).
 */
export function moduleDir(module: string, version: string): string {
  const ref = `${module}@${version}`;
  const hit = moduleDirs.get(ref);
  if (hit) return hit;
  const r = spawnSync('go', ['mod', 'download', '-json', ref], { encoding: 'utf8', cwd: '/', env: goBuildEnv(), maxBuffer: 16 * 1024 * 1024 });
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout);
  } catch {
    /* reported below */
  }
  if (!info.Dir) throw new Error(`go mod download ${ref} failed (is the Go module proxy reachable?): ${info.Error ?? (r.error?.message || r.stderr || r.stdout)}`);
  moduleDirs.set(ref, info.Dir);
  return info.Dir;
}

/** The oldest Go that builds everything we build (k8s 1.36 and etcd 3.6.16 declare go 1.26.0). */
export const MIN_GO_MINOR = 26;

let goChecked = false;

/** Fails, naming what needed it, when Go is missing or older than MIN_GO_MINOR. */
export function requireGo(what: string): void {
  if (goChecked) return;
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`Go 1.${MIN_GO_MINOR}+ is required to build ${what}, but \`go\` was not found or failed (${r.error?.message ?? r.stderr.trim()}).`);
  }
  const m = /^go1\.(\d+)/.exec(r.stdout.trim());
  if (m && Number(m[1]) < MIN_GO_MINOR) throw new Error(`Go 1.${MIN_GO_MINOR}+ is required to build ${what}; found ${r.stdout.trim()}.`);
  goChecked = true;
}

/** Environment for our Go builds: static binaries, a cleanable module cache, no stray go.work. */
export function goBuildEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-modcacherw', GO111MODULE: 'on', GOWORK: 'off', ...extra };
}

/** `go install` the packages unless every binary is already cached. Returns their paths. */
export function goInstall(spec: GoInstall): string[] {
  const paths = spec.binaries.map((b) => join(spec.dir, b));
  if (paths.every((p) => existsSync(p))) return paths;
  startingBuild(spec.label);
  requireGo(spec.label);
  // per process: two runs building the same binary (two test workers, say) must not share a directory
  const tmp = `${spec.dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const args = ['install', '-trimpath'];
  if (spec.tags) args.push('-tags', spec.tags);
  args.push('-ldflags', `-s -w ${spec.ldflags ?? ''}`.trim(), ...spec.packages);
  process.stderr.write(`building ${spec.label} with go install (first run on this machine only)...\n`);
  const started = Date.now();
  try {
    execFileSync('go', args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: tmp,
      env: goBuildEnv({ GOBIN: tmp }),
    });
  } catch {
    throw new Error(`go install ${spec.packages.join(' ')} failed; is the Go module proxy reachable (GOPROXY=${process.env.GOPROXY ?? 'default'})?`);
  }
  mkdirSync(join(spec.dir, '..'), { recursive: true });
  if (paths.every((p) => existsSync(p))) {
    rmSync(tmp, { recursive: true, force: true }); // another process finished first
  } else {
    rmSync(spec.dir, { recursive: true, force: true });
    renameSync(tmp, spec.dir);
  }
  process.stderr.write(`built ${spec.label} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  for (const p of paths) if (!existsSync(p)) throw new Error(`go install did not produce ${p}`);
  return paths;
}

export interface GoProgram {
  /** What to tell the user while it builds. */
  readonly label: string;
  /** The program's one source file (package main). */
  readonly main: string;
  /** Modules it requires, `path version`. */
  readonly requires: Array<{ path: string; version: string }>;
  /** Cache key; the source's hash is added, so an edited program is rebuilt. */
  readonly key: string;
  readonly binary: string;
  readonly tags?: string;
}

/**
 * A one-file Go program of ours, built in a scratch module that requires `requires` (go mod tidy
 * resolves the rest through the proxy), once per source version, into the cache. Returns its path.
 */
export function goBuildProgram(spec: GoProgram): string {
  const hash = createHash('sha256').update(readFileSync(spec.main)).digest('hex').slice(0, 12);
  const steps = [['mod', 'tidy'], ['build', '-trimpath', ...(spec.tags ? ['-tags', spec.tags] : []), '-ldflags', '-s -w', '-o', spec.binary, '.']];
  const [binary] = buildInScratchModule({ ...spec, dir: binDir(`${spec.key}-${hash}`), binaries: [spec.binary], files: { 'main.go': spec.main }, steps });
  return binary;
}

export interface GoPackages {
  /** What to tell the user while it builds. */
  readonly label: string;
  /** Modules required at exactly these versions (minimal version selection resolves the rest). */
  readonly requires: Array<{ path: string; version: string }>;
  /** Cache key; the required versions are added, so a new pin is a new build. */
  readonly key: string;
  /** Each binary and how it is made: `go build` of a main package, or `go test -c` of a package's tests. */
  readonly outputs: Array<{ readonly binary: string; readonly package: string; readonly test?: boolean }>;
}

/**
 * Programs and test binaries from packages of other modules, built in a scratch module that
 * requires them at the given versions (so a pin can pair modules their own go.mod files do not,
 * and nothing of theirs is copied). Returns the binaries' paths, in `outputs` order.
 */
export function goBuildPackages(spec: GoPackages): string[] {
  const pins = spec.requires.map((r) => `${r.path}@${r.version}`).join(' ');
  const dir = binDir(`${spec.key}-${createHash('sha256').update(pins).digest('hex').slice(0, 12)}`);
  // -mod=mod: go records the packages' own requirements as it loads them (there is no source to tidy)
  const steps = spec.outputs.map((o) => [o.test ? 'test' : 'build', ...(o.test ? ['-c'] : []), '-mod=mod', '-trimpath', '-ldflags', '-s -w', '-o', o.binary, o.package]);
  return buildInScratchModule({ ...spec, dir, binaries: spec.outputs.map((o) => o.binary), files: {}, steps });
}

/** Runs `steps` (go subcommands) in a fresh module under the cache unless `binaries` are there already. */
function buildInScratchModule(spec: { label: string; key: string; requires: Array<{ path: string; version: string }>; dir: string; binaries: string[]; files: Record<string, string>; steps: string[][] }): string[] {
  const paths = spec.binaries.map((b) => join(spec.dir, b));
  if (paths.every((p) => existsSync(p))) return paths;
  startingBuild(spec.label);
  requireGo(spec.label);
  const tmp = `${spec.dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const name = spec.key.replace(/[^\w.-]+/g, '-');
  writeFileSync(join(tmp, 'go.mod'), `module local/${name}\n\ngo 1.${MIN_GO_MINOR}\n\n${spec.requires.map((r) => `require ${r.path} ${r.version}\n`).join('')}`);
  for (const [file, source] of Object.entries(spec.files)) copyFileSync(source, join(tmp, file));
  const env = goBuildEnv();
  process.stderr.write(`building ${spec.label} (first use on this machine only)...\n`);
  const started = Date.now();
  for (const args of spec.steps) {
    const r = spawnSync('go', args, { cwd: tmp, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`go ${args[0]} of ${spec.label} failed (is the Go module proxy reachable?):\n${(r.stderr || r.error?.message || '').trim().split('\n').slice(-15).join('\n')}`);
    }
  }
  mkdirSync(join(spec.dir, '..'), { recursive: true });
  if (paths.every((p) => existsSync(p))) rmSync(tmp, { recursive: true, force: true }); // another process finished first
  else {
    rmSync(spec.dir, { recursive: true, force: true });
    renameSync(tmp, spec.dir);
  }
  process.stderr.write(`built ${spec.label} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return paths;
}
