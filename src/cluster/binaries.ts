/**
 * The control-plane binaries the cluster tests run as local processes: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok, pilot-discovery (istiod) and istioctl. All are built from the Go module proxy once per
 * machine and cached under binDir(<name>-<version>).
 *
 * etcd and kube-apiserver cannot be `go install`ed: their go.mod files carry replace
 * directives (and k8s.io/kubernetes requires its staging modules at a non-existent v0.0.0),
 * so each is built from a small generated wrapper module that becomes the main module.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { binDir } from '../tools/cache';
import { MIN_GO_MINOR, goBuildEnv, goInstall, requireGo, startingBuild } from '../tools/go';
import { ISTIO_MODULE, ISTIO_VERSION } from '../versions';

/** Newest first; an older one is used only if the proxy cannot resolve the newer. */
export const ETCD_VERSIONS = ['v3.6.16', 'v3.6.15', 'v3.6.14', 'v3.6.13'] as const;
/** The 1.36 line matches the k8s.io/client-go v0.36.x that the pinned istiod uses. */
export const KUBERNETES_VERSIONS = ['v1.36.3', 'v1.36.1'] as const;


export interface Located {
  readonly path: string;
  readonly version: string;
}

export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kwok: string;
  readonly pilotDiscovery: string;
  readonly istioctl: string;
  readonly versions: { readonly etcd: string; readonly kubernetes: string; readonly istio: string };
}

/** Thrown when a version cannot be resolved from the proxy, so the next candidate is tried. */
class UnresolvableVersion extends Error {}


function proxyHint(): string {
  return `GOPROXY=${process.env.GOPROXY ?? goEnvValue('GOPROXY') ?? 'default'}`;
}

function goEnvValue(name: string): string | undefined {
  const r = spawnSync('go', ['env', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}


/** Run go in dir with output captured; on failure the output is part of the error. */
function goQuiet(dir: string, args: string[]): { ok: boolean; output: string; stdout: string } {
  const r = spawnSync('go', args, { cwd: dir, env: goBuildEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`could not run go ${args.join(' ')}: ${r.error.message}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim(), stdout: r.stdout };
}

/** The .mod file of module@version, fetched through the proxy. */
function downloadGoMod(module: string, version: string, cwd: string): string {
  const r = goQuiet(cwd, ['mod', 'download', '-json', `${module}@${version}`]);
  let info: { GoMod?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout);
  } catch {
    // fall through with the raw output
  }
  if (!r.ok || !info.GoMod) {
    throw new UnresolvableVersion(`the Go module proxy did not serve ${module}@${version} (${proxyHint()}): ${info.Error ?? r.output}`);
  }
  return info.GoMod;
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

function secondsSince(started: number): number {
  return Math.round((Date.now() - started) / 1000);
}

/** Find a cached build of the first candidate that has one. */
function cached(name: string, versions: readonly string[]): Located | undefined {
  for (const version of versions) {
    const path = join(binDir(`${name}-${version}`), name);
    if (existsSync(path)) return { path, version };
  }
  return undefined;
}

interface WrapperBuild {
  readonly name: string;
  readonly version: string;
  /** Writes go.mod and sources into dir; may throw UnresolvableVersion. */
  readonly prepare: (dir: string) => void;
  /** Arguments after `go build -trimpath -o <binary>`. */
  readonly buildArgs: string[];
  /** Text the built binary's --version output must contain. */
  readonly expect: string;
}

/**
 * Build one wrapper module in <binDir>.partial-<pid> and rename it into place only once the
 * binary has answered --version, so an interrupted or broken build is never found later.
 * The wrapper's go.mod/go.sum stay next to the binary as a record of what was built.
 */
function buildWrapper(spec: WrapperBuild): Located {
  const dir = binDir(`${spec.name}-${spec.version}`);
  const binary = join(dir, spec.name);
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const label = `${spec.name} ${spec.version}`;
  const started = Date.now();
  try {
    process.stderr.write(`[${label}] resolving modules through the Go proxy (first run on this machine only)...\n`);
    spec.prepare(tmp);
    const tidy = goQuiet(tmp, ['mod', 'tidy']);
    if (!tidy.ok) {
      throw new UnresolvableVersion(`go mod tidy failed for the ${label} wrapper (${proxyHint()}):\n${tail(tidy.output)}`);
    }
    process.stderr.write(`[${label}] compiling (a cold build takes minutes)...\n`);
    try {
      execFileSync('go', ['build', '-trimpath', '-o', join(tmp, spec.name), ...spec.buildArgs], {
        cwd: tmp,
        env: goBuildEnv(),
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch {
      throw new Error(`go build of ${label} failed (output above); the wrapper module is in ${tmp}`);
    }
    const out = execFileSync(join(tmp, spec.name), ['--version'], { encoding: 'utf8' });
    if (!out.includes(spec.expect)) {
      throw new Error(`${label} built, but \`--version\` printed ${JSON.stringify(out.trim())}, not ${spec.expect}`);
    }
  } catch (e) {
    // keep a failed compile for inspection; an unresolved version leaves nothing useful
    if (e instanceof UnresolvableVersion) rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(binary)) {
    rmSync(tmp, { recursive: true, force: true }); // another process finished first
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  process.stderr.write(`[${label}] built in ${secondsSince(started)} s: ${binary}\n`);
  return { path: binary, version: spec.version };
}

/** Cached build of the first candidate, else build candidates in order until one resolves. */
function locateOrBuild(name: string, versions: readonly string[], spec: (version: string) => WrapperBuild): Located {
  const hit = cached(name, versions);
  if (hit) return hit;
  startingBuild(name);
  requireGo(name);
  const failures: string[] = [];
  for (const version of versions) {
    try {
      return buildWrapper(spec(version));
    } catch (e) {
      if (!(e instanceof UnresolvableVersion)) throw e;
      failures.push(`${version}: ${e.message}`);
      process.stderr.write(`[${name} ${version}] not usable: ${e.message.split('\n')[0]}\n`);
    }
  }
  throw new Error(`cannot build ${name}: none of ${versions.join(', ')} could be resolved through the Go module proxy.\n${failures.join('\n')}`);
}

function etcdBuild(version: string): WrapperBuild {
  return {
    name: 'etcd',
    version,
    prepare: (dir) => {
      downloadGoMod('go.etcd.io/etcd/server/v3', version, dir);
      writeFileSync(join(dir, 'go.mod'), `module local/etcd\n\ngo 1.${MIN_GO_MINOR}\n\nrequire go.etcd.io/etcd/server/v3 ${version}\n`);
      writeFileSync(
        join(dir, 'main.go'),
        'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
      );
    },
    buildArgs: ['-ldflags', '-s -w', '.'],
    expect: `etcd Version: ${version.slice(1)}`,
  };
}

/** The Kubernetes components we run, each a command of the k8s.io/kubernetes module. */
export type KubeComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';

const kubeBuild = (name: KubeComponent) => (version: string): WrapperBuild => {
  const pkg = `k8s.io/kubernetes/cmd/${name}`;
  const [, major, minor, patch] = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version) ?? [];
  if (!patch) throw new Error(`unexpected Kubernetes version ${version}`);
  const ldflags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    // without these /version reports v0.0.0-master, which Helm kubeVersion checks and istioctl reject
    ldflags.push(`-X ${pkg}.gitVersion=${version}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`);
  }
  return {
    name,
    version,
    prepare: (dir) => {
      const k8sMod = readFileSync(downloadGoMod('k8s.io/kubernetes', version, dir), 'utf8');
      // staging modules are required at v0.0.0 and only exist on the proxy as v0.<minor>.<patch>
      const staging = [...k8sMod.matchAll(/^\s*(?:require\s+)?(k8s\.io\/[\w.\-/]+)\s+v0\.0\.0\s*(?:\/\/.*)?$/gm)].map((m) => m[1]);
      if (staging.length === 0) throw new Error(`k8s.io/kubernetes@${version} go.mod lists no v0.0.0 staging modules; the wrapper recipe needs revisiting`);
      const goLine = /^go\s+\S+$/m.exec(k8sMod)?.[0] ?? `go 1.${MIN_GO_MINOR}`;
      // godebug is not inherited from dependencies; copy it so runtime defaults match upstream builds
      const godebug = /^godebug\s*\([^)]*\)|^godebug\s+.+$/m.exec(k8sMod)?.[0];
      const stagingVersion = `v0.${minor}.${patch}`;
      const lines = [
        `module local/${name}`,
        '',
        goLine,
        ...(godebug ? ['', godebug] : []),
        '',
        `require k8s.io/kubernetes ${version}`,
        '',
        'replace (',
        ...staging.map((m) => `\t${m} => ${m} ${stagingVersion}`),
        ')',
        '',
      ];
      writeFileSync(join(dir, 'go.mod'), lines.join('\n'));
      // keeps the command's package graph in go.mod/go.sum through `go mod tidy`
      writeFileSync(join(dir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
    },
    buildArgs: ['-ldflags', ldflags.join(' '), pkg],
    expect: `Kubernetes ${version}`,
  };
};

let etcdLocated: Located | undefined;
const kubeLocated = new Map<KubeComponent, Located>();

export function etcd(): Located {
  return (etcdLocated ??= locateOrBuild('etcd', ETCD_VERSIONS, etcdBuild));
}

/**
 * One Kubernetes component. The apiserver decides the version; the controller-manager and
 * the scheduler are built at exactly that version (they share its wrapper recipe and the
 * Go build cache, so each after the first compiles mostly its own packages).
 */
export function kubeComponent(name: KubeComponent): Located {
  const hit = kubeLocated.get(name);
  if (hit) return hit;
  const versions = name === 'kube-apiserver' ? KUBERNETES_VERSIONS : [kubeComponent('kube-apiserver').version];
  const located = locateOrBuild(name, versions, kubeBuild(name));
  kubeLocated.set(name, located);
  return located;
}

/** kwok, which plays the kubelet for pods this machine has no program for (see kwok.ts). */
export const KWOK_MODULE = { path: 'sigs.k8s.io/kwok', version: 'v0.8.0' } as const;

export function kwok(): string {
  const [path] = goInstall({
    label: `kwok ${KWOK_MODULE.version}`,
    packages: [`${KWOK_MODULE.path}/cmd/kwok@${KWOK_MODULE.version}`],
    dir: binDir(`kwok-${KWOK_MODULE.version}`),
    binaries: ['kwok'],
  });
  return path;
}

/** pilot-discovery and istioctl from the pinned istio.io/istio pseudo-version. */
export function istioBinaries(): { pilotDiscovery: string; istioctl: string } {
  const [pilotDiscovery, istioctl] = goInstall({
    label: `pilot-discovery and istioctl ${ISTIO_VERSION} (${ISTIO_MODULE.version})`,
    packages: [`${ISTIO_MODULE.path}/pilot/cmd/pilot-discovery@${ISTIO_MODULE.version}`, `${ISTIO_MODULE.path}/istioctl/cmd/istioctl@${ISTIO_MODULE.version}`],
    dir: binDir(`istio-${ISTIO_MODULE.version}`),
    binaries: ['pilot-discovery', 'istioctl'],
    tags: 'vtprotobuf,disable_pgv',
    ldflags: `-X istio.io/istio/pkg/version.buildVersion=${ISTIO_VERSION} -X istio.io/istio/pkg/version.buildStatus=Clean`,
  });
  return { pilotDiscovery, istioctl };
}

/** Everything the local control plane needs; builds what is missing (slow only the first time). */
export function ensureControlPlaneBinaries(): ControlPlaneBinaries {
  const e = etcd();
  const k = kubeComponent('kube-apiserver');
  const istio = istioBinaries();
  return {
    etcd: e.path,
    kubeApiserver: k.path,
    kubeControllerManager: kubeComponent('kube-controller-manager').path,
    kubeScheduler: kubeComponent('kube-scheduler').path,
    kwok: kwok(),
    ...istio,
    versions: { etcd: e.version, kubernetes: k.version, istio: ISTIO_VERSION },
  };
}
