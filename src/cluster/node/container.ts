/**
 * How one container of a pod becomes a process: the kubelet's rules for command and args
 * (image ENTRYPOINT/CMD, `$(VAR)` expansion), env (values, field and resource references,
 * ConfigMap and Secret keys, the `kubernetes` Service variables), the user it runs as, and
 * the files it sees, and the pod's hostname (a UTS namespace of its own).
 *
 * The process shares this machine's filesystem but gets a mount namespace of its own (`ip
 * netns exec` makes one): the image's programs are bind-mounted at their image paths under a
 * private /usr/local/bin, a private /run/secrets carries the pod's secret mounts (client-go
 * and the agents read absolute /var/run/secrets paths), and /etc/resolv.conf and /etc/hosts
 * are the pod's. A hostPath volume mounted under /host or /var/run is mounted at that path
 * (node agents such as install-cni write there by absolute path); every other mount is a link in
 * the container's working directory, where Istio's programs look first (their default paths are
 * relative, as in their images), and, for an image whose programs use absolute paths
 * (mountsAtPath), bound at its path too. A data file an image keeps at an absolute path
 * (openedByPath) is bound there.
 */
import { mkdirSync, symlinkSync, copyFileSync, existsSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { KubeClients } from '../kube';
import { RunnableImage, runnableImage } from '../images';
import { PodAddresses, fieldValue, resourceValue } from './downward';
import { PodVolumes } from './volumes';

export interface Launch {
  /**
   * What runs inside the pod's network namespace: `unshare --uts -- sh -c <setup> sh`, then
   * the program and its args. The setup sets the pod's hostname, mounts the container's
   * files, and execs the program as the container's user; `exec` reuses the prefix.
   */
  readonly prefix: string[];
  readonly program: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The program and args as the container asked for them, for messages. */
  readonly argv: string[];
}

/** Thrown when a container cannot start here (reported as RunContainerError / CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

/**
 * Top directories an image may have of its own, over this machine's: nothing the container's
 * host tools need lives there (unlike /bin or /usr, whose programs stay this machine's).
 */
const IMAGE_OWN_DIRS = ['/opt'];

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `$(VAR)` expansion as the kubelet does it; `$$` escapes, unknown references stay as written. */
export function expand(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) => (m === '$$' ? '$' : name in env ? env[name] : m));
}

/** The Service variables every container gets for the `kubernetes` Service. */
export function kubernetesServiceEnv(ip: string): Record<string, string> {
  return {
    KUBERNETES_SERVICE_HOST: ip,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: `tcp://${ip}:443`,
    KUBERNETES_PORT_443_TCP: `tcp://${ip}:443`,
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: ip,
  };
}

async function keyRef(clients: KubeClients, ns: string, kind: 'configMap' | 'secret', name: string, key: string, optional?: boolean): Promise<string | undefined> {
  try {
    if (kind === 'configMap') {
      const cm = await clients.core.readNamespacedConfigMap({ name, namespace: ns });
      const v = cm.data?.[key];
      if (v === undefined && !optional) throw new ContainerConfigError(`configmap ${name} has no key ${key}`);
      return v;
    }
    const s = await clients.core.readNamespacedSecret({ name, namespace: ns });
    const v = s.data?.[key];
    if (v === undefined && !optional) throw new ContainerConfigError(`secret ${name} has no key ${key}`);
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
  } catch (e) {
    if (e instanceof ContainerConfigError) throw e;
    if (optional) return undefined;
    throw new ContainerConfigError(`${kind} ${ns}/${name} not found`);
  }
}

export async function containerEnv(clients: KubeClients, pod: V1Pod, c: V1Container, addr: PodAddresses, kubernetesIp: string): Promise<Record<string, string>> {
  const ns = pod.metadata!.namespace!;
  const env: Record<string, string> = { ...kubernetesServiceEnv(kubernetesIp), HOSTNAME: pod.metadata!.name! };
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await clients.core.readNamespacedConfigMap({ name: from.configMapRef.name!, namespace: ns }).catch(() => undefined);
      if (!cm && !from.configMapRef.optional) throw new ContainerConfigError(`configmap ${ns}/${from.configMapRef.name} not found`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env[prefix + k] = v;
    } else if (from.secretRef) {
      const s = await clients.core.readNamespacedSecret({ name: from.secretRef.name!, namespace: ns }).catch(() => undefined);
      if (!s && !from.secretRef.optional) throw new ContainerConfigError(`secret ${ns}/${from.secretRef.name} not found`);
      for (const [k, v] of Object.entries(s?.data ?? {})) env[prefix + k] = Buffer.from(v, 'base64').toString();
    }
  }
  for (const e of c.env ?? []) {
    let value: string | undefined;
    const from = e.valueFrom;
    if (!from) value = expand(e.value ?? '', env);
    else if (from.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath, addr);
    else if (from.resourceFieldRef) value = resourceValue(pod, from.resourceFieldRef.containerName ?? c.name, from.resourceFieldRef.resource, from.resourceFieldRef.divisor as string | undefined);
    else if (from.configMapKeyRef) value = await keyRef(clients, ns, 'configMap', from.configMapKeyRef.name!, from.configMapKeyRef.key, from.configMapKeyRef.optional);
    else if (from.secretKeyRef) value = await keyRef(clients, ns, 'secret', from.secretKeyRef.name!, from.secretKeyRef.key, from.secretKeyRef.optional);
    if (value !== undefined) env[e.name] = value;
  }
  env.PATH ??= DEFAULT_PATH;
  return env;
}

/** command/args with the image's defaults, as the kubelet combines them. */
export function commandLine(c: V1Container, image: RunnableImage, env: Record<string, string>): string[] {
  const command = c.command?.length ? c.command : [...image.entrypoint];
  const args = c.args?.length ? c.args : c.command?.length ? [] : [...(image.cmd ?? [])];
  return [...command, ...args].map((a) => expand(a, env));
}

function which(tool: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    const candidate = join(dir, tool);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The user and group a container runs as: its securityContext, the pod's, then the image's. */
export function containerUser(pod: V1Pod, c: V1Container, image: RunnableImage): { uid: number; gid: number } {
  const uid = c.securityContext?.runAsUser ?? pod.spec!.securityContext?.runAsUser ?? image.user ?? 0;
  const gid = c.securityContext?.runAsGroup ?? pod.spec!.securityContext?.runAsGroup ?? uid;
  return { uid, gid };
}

export interface ContainerFiles {
  /** The pod's directory (volumes, resolv.conf, hosts, one root per container). */
  readonly podDir: string;
  readonly volumes: PodVolumes;
}

export async function prepareLaunch(clients: KubeClients, pod: V1Pod, c: V1Container, addr: PodAddresses, kubernetesIp: string, files: ContainerFiles): Promise<Launch> {
  const image = runnableImage(c.image ?? '');
  if (!image) throw new ContainerConfigError(`image ${c.image} has no local stand-in`);
  const env = await containerEnv(clients, pod, c, addr, kubernetesIp);
  const argv = commandLine(c, image, env);
  if (argv.length === 0) throw new ContainerConfigError('no command: the container sets none and the image has no entrypoint');

  const root = join(files.podDir, 'containers', c.name);
  mkdirSync(root, { recursive: true });
  // the kubelet's rule: the pod's hostname, or its name cut to 63 characters
  const hostname = (pod.spec!.hostname ?? pod.metadata!.name!).slice(0, 63);
  const setup: string[] = ['set -e', `echo ${q(hostname)} > /proc/sys/kernel/hostname`, 'mount -t tmpfs -o mode=0755 icl-image /usr/local/bin'];
  const binaries = new Map<string, string>();
  const imageDirs = new Set<string>();
  for (const f of image.files) {
    const source = f.source();
    if (f.path.endsWith('.json')) {
      // data files live where the program looks for them, relative to its working directory
      const target = join(root, f.path);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(source, target);
      continue;
    }
    let target = `/usr/local/bin/${basename(f.path)}`;
    const top = `/${f.path.split('/')[1]}`;
    if (f.openedByPath) {
      // bound over an empty file this machine keeps at that path, as it keeps /host
      if (!existsSync(f.path)) writeFileSync(f.path, '');
      target = f.path;
    } else if (IMAGE_OWN_DIRS.includes(top)) {
      // a program the image keeps there (install-cni copies /opt/cni/bin/istio-cni from its
      // image): the image's own directory, a tmpfs over this machine's, holds it at its path
      if (!imageDirs.has(top)) setup.push(`mount -t tmpfs -o mode=0755 icl-image ${q(top)}`);
      imageDirs.add(top);
      target = f.path;
      setup.push(`mkdir -p ${q(dirname(target))}`);
    }
    setup.push(`: > ${q(target)}`, `mount --bind ${q(source)} ${q(target)}`);
    binaries.set(f.path, target);
    binaries.set(basename(f.path), target);
  }
  // the program itself: an image path, an image program by name, or an allowed tool of this machine
  let program = binaries.get(argv[0]) ?? binaries.get(basename(argv[0]));
  if (!program && image.hostTools?.includes(basename(argv[0]))) program = which(basename(argv[0]), DEFAULT_PATH);
  if (!program) throw new ContainerConfigError(`exec: ${JSON.stringify(argv[0])}: not found in image ${c.image} (it carries ${[...image.files.map((f) => f.path), ...(image.hostTools ?? [])].join(', ')})`);

  setup.push('mount -t tmpfs -o mode=0755 icl-secrets /run/secrets');
  mkdirSync(join(root, 'var'), { recursive: true });
  if (!existsSync(join(root, 'var', 'run'))) symlinkSync('/run', join(root, 'var', 'run'));
  let hostMounts = false;
  for (const m of c.volumeMounts ?? []) {
    const source = join(files.volumes.dir(m.name), m.subPath ?? '');
    const path = m.mountPath.replace(/\/+$/, '');
    const remountReadOnly = m.readOnly ? [`mount -o remount,bind,ro ${q(path.replace(/^\/var\/run/, '/run'))}`] : [];
    if (files.volumes.isHostPath(m.name) && /^\/(host|run|var\/run)\//.test(path)) {
      // the node's paths at the container's absolute path: under /host (a tmpfs of the
      // container's own over the empty mountpoint ensureMountpoints made), or under /run, whose
      // mountpoint directory stays behind on this machine, empty, once the container is gone
      if (path.startsWith('/host/') && !hostMounts) setup.push('mount -t tmpfs -o mode=0755 icl-host /host');
      hostMounts ||= path.startsWith('/host/');
      const target = path.replace(/^\/var\/run/, '/run');
      setup.push(`mkdir -p ${q(target)}`, `mount --bind ${q(source)} ${q(target)}`, ...remountReadOnly);
    } else if (/^\/(var\/)?run\/secrets(\/|$)/.test(path)) {
      const target = path.replace(/^\/var\/run/, '/run');
      setup.push(`mkdir -p ${q(target)}`, `mount --bind ${q(source)} ${q(target)}`);
    } else {
      const link = join(root, path);
      mkdirSync(dirname(link), { recursive: true });
      if (!existsSync(link)) symlinkSync(source, link);
      if (image.mountsAtPath) {
        // its programs open mounts by absolute path (echo-basic's /etc/secret-volume/crt): bound
        // there too, over an empty directory this machine keeps as the mountpoint
        mkdirSync(path, { recursive: true });
        setup.push(`mount --bind ${q(source)} ${q(path)}`, ...remountReadOnly);
      }
    }
  }
  setup.push(`mount --bind ${q(join(files.podDir, 'resolv.conf'))} /etc/resolv.conf`, `mount --bind ${q(join(files.podDir, 'hosts'))} /etc/hosts`, `cd ${q(c.workingDir ? join(root, c.workingDir) : (image.workingDir ?? root))}`);
  const { uid, gid } = containerUser(pod, c, image);
  // changing the user clears the parent-death signal the process was started with, so it is set
  // again here (setpriv applies it after the switch): a killed node agent takes its pods along
  setup.push(uid === 0 && gid === 0 ? 'exec "$@"' : `exec setpriv --reuid=${uid} --regid=${gid} --clear-groups --pdeathsig KILL -- "$@"`);
  return { prefix: ['unshare', '--uts', '--', 'sh', '-c', setup.join('\n'), 'sh'], program, env, cwd: root, argv };
}

/**
 * Ensure the empty mountpoints containers mount their private copies over exist on this host:
 * /run/secrets (the pod's secret mounts) and /host (hostPath volumes of node agents).
 */
export function ensureMountpoints(): void {
  mkdirSync('/run/secrets', { recursive: true });
  mkdirSync('/host', { recursive: true });
}
