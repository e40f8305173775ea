/**
 * The node's container-runtime half of CNI. The node's primary network is its own interface
 * setup (network.ts: a veth and a /32 per pod), declared as the first plugin of a conflist the
 * node writes into its CNI conf dir at start, as a real node's primary CNI would be. A plugin
 * chained onto that conflist later (istio-cni, by install-cni) is invoked for every pod the
 * way libcni invokes a chain in containerd or CRI-O: ADD in list order after the pod's network
 * namespace is up and before its init containers, each plugin getting the previous result;
 * DEL in reverse order when the pod stops, while its namespace still exists.
 *
 * The plugins are executed here as the CNI spec defines the call (environment, the plugin's
 * config with the network's name and cniVersion on stdin, the result or error on stdout) rather
 * than through cnitool: cnitool runs a conflist from its first plugin, and this one is the node's
 * own code, not a program. A plugin runs in a mount namespace where the node root's /var/run
 * directories are bound over this machine's /run, so the absolute paths install-cni wrote into
 * the config (its kubeconfig and log socket under /var/run/istio-cni) are the node's.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

/** The plugin type standing for the node's own interface setup; never executed. */
export const NODE_PLUGIN_TYPE = 'local-node';
const NODE_NETWORK_NAME = 'local-node';
const NODE_CONFLIST = '10-local-node.conflist';
const CNI_VERSION = '1.0.0';
/** istio-cni waits up to 30 s for the pod to appear in the API; a hung plugin is cut off after this. */
const PLUGIN_TIMEOUT_MS = 60_000;

export interface CniPaths {
  /** The node's CNI config directory (/etc/cni/net.d of the node). */
  readonly confDir: string;
  /** The node's CNI bin directory (/opt/cni/bin of the node). */
  readonly binDir: string;
  /** The node's /var/run, bound over this machine's /run for the plugins. */
  readonly runDir: string;
}

export function cniPaths(nodeRoot: string): CniPaths {
  return { confDir: join(nodeRoot, 'etc/cni/net.d'), binDir: join(nodeRoot, 'opt/cni/bin'), runDir: join(nodeRoot, 'var/run') };
}

interface NetworkList {
  readonly file: string;
  readonly name: string;
  readonly cniVersion: string;
  readonly plugins: Array<Record<string, unknown> & { type: string }>;
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface PodAttachment {
  readonly netns: string;
  readonly address: string;
}

/** What one pod's ADD did: the chained plugins run (in order), and how long the chain took. */
export interface CniAdd {
  readonly plugins: string[];
  readonly ms: number;
  /** The last result, handed to DEL as its prevResult. */
  readonly result: unknown;
  readonly network?: NetworkList;
}

export class CniError extends Error {}

export class NodeCni {
  readonly paths: CniPaths;

  constructor(
    nodeRoot: string,
    private readonly gateway: string,
    private readonly log: (message: string) => void,
  ) {
    this.paths = cniPaths(nodeRoot);
  }

  /** Create the node's directories and write its primary network's conflist. */
  writePrimaryConfig(): void {
    for (const dir of Object.values(this.paths)) mkdirSync(dir, { recursive: true });
    const conflist = { cniVersion: CNI_VERSION, name: NODE_NETWORK_NAME, plugins: [{ type: NODE_PLUGIN_TYPE }] };
    writeFileSync(join(this.paths.confDir, NODE_CONFLIST), `${JSON.stringify(conflist, null, 2)}\n`);
  }

  /**
   * The network the runtime uses: the first config file by name (libcni's ConfFiles order,
   * which containerd and CRI-O follow); a single-plugin .conf is a list of one.
   */
  network(): NetworkList | undefined {
    const files = existsSync(this.paths.confDir) ? readdirSync(this.paths.confDir).filter((f) => /\.(conflist|conf|json)$/.test(f)).sort() : [];
    for (const f of files) {
      const file = join(this.paths.confDir, f);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        this.log(`CNI config ${file} is not JSON, skipped: ${(e as Error).message}`);
        continue;
      }
      const plugins = f.endsWith('.conflist') ? parsed.plugins : [parsed];
      if (!Array.isArray(plugins) || plugins.length === 0) {
        this.log(`CNI config ${file} has no plugins, skipped`);
        continue;
      }
      return { file, name: String(parsed.name), cniVersion: String(parsed.cniVersion ?? CNI_VERSION), plugins };
    }
    return undefined;
  }

  /** The node's own interface, as the result its plugin would have printed. */
  private nodeResult(a: PodAttachment): object {
    return {
      cniVersion: CNI_VERSION,
      interfaces: [{ name: 'eth0', sandbox: netnsPath(a.netns) }],
      ips: [{ address: `${a.address}/32`, gateway: this.gateway, interface: 0 }],
      routes: [{ dst: '0.0.0.0/0', gw: this.gateway }],
      dns: {},
    };
  }

  /** ADD of every plugin chained after the node's own; throws CniError naming the plugin that failed. */
  async add(pod: PodRef, a: PodAttachment): Promise<CniAdd> {
    const started = process.hrtime.bigint();
    const network = this.network();
    let result: unknown = this.nodeResult(a);
    const chained = (network?.plugins ?? []).filter((p) => p.type !== NODE_PLUGIN_TYPE);
    for (const plugin of chained) result = await this.invoke('ADD', network!, plugin, pod, a, result);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { plugins: chained.map((p) => p.type), ms, result, network };
  }

  /** DEL in reverse order, with the ADD's final result; errors are logged, as runtimes retry DEL and move on. */
  async del(pod: PodRef, a: PodAttachment, added: CniAdd): Promise<void> {
    if (!added.network) return;
    const chained = added.network.plugins.filter((p) => p.type !== NODE_PLUGIN_TYPE).reverse();
    for (const plugin of chained) {
      try {
        await this.invoke('DEL', added.network, plugin, pod, a, added.result);
      } catch (e) {
        this.log(`pod ${pod.namespace}/${pod.name}: ${(e as Error).message}`);
      }
    }
  }

  private invoke(command: 'ADD' | 'DEL', network: NetworkList, plugin: NetworkList['plugins'][number], pod: PodRef, a: PodAttachment, prevResult: unknown): Promise<unknown> {
    const program = join(this.paths.binDir, plugin.type);
    const what = `CNI ${command} of plugin ${plugin.type} (network ${network.name}, ${network.file})`;
    if (!existsSync(program)) return Promise.reject(new CniError(`${what}: no program ${program}`));
    const env = {
      PATH: process.env.PATH,
      CNI_COMMAND: command,
      CNI_CONTAINERID: sandboxId(pod.uid),
      CNI_NETNS: netnsPath(a.netns),
      CNI_IFNAME: 'eth0',
      CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${pod.namespace};K8S_POD_NAME=${pod.name};K8S_POD_INFRA_CONTAINER_ID=${sandboxId(pod.uid)};K8S_POD_UID=${pod.uid}`,
      CNI_PATH: this.paths.binDir,
    };
    const stdin = JSON.stringify({ ...plugin, name: network.name, cniVersion: network.cniVersion, prevResult });
    const binds = existsSync(this.paths.runDir) ? readdirSync(this.paths.runDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'netns') : [];
    // the node's /var/run/<dir> over this machine's /run/<dir>, seen by the plugin only
    const setup = ['set -e', ...binds.map((d) => `mkdir -p /run/${d.name} && mount --bind '${join(this.paths.runDir, d.name)}' /run/${d.name}`), 'exec "$@"'];
    return new Promise((resolve, reject) => {
      const child = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', setup.join('\n'), 'sh', program], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), PLUGIN_TIMEOUT_MS);
      child.on('error', (e) => reject(new CniError(`${what}: ${e.message}`)));
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        // istio-cni logs JSON lines, whole iptables dumps among them: their messages' first lines suffice here
        for (const line of stderr.split('\n').filter((l) => l.trim())) this.log(`pod ${pod.namespace}/${pod.name}: ${plugin.type} ${command}: ${pluginLogLine(line)}`);
        if (code === 0) {
          if (command === 'DEL' || !stdout.trim()) return resolve(prevResult);
          try {
            return resolve(JSON.parse(stdout));
          } catch {
            return reject(new CniError(`${what} printed a result that is not JSON: ${stdout.slice(0, 200)}`));
          }
        }
        let message = stdout.trim() || stderr.trim();
        try {
          const err = JSON.parse(stdout) as { code?: number; msg?: string; details?: string };
          message = `error ${err.code}: ${err.msg}${err.details ? ` (${err.details})` : ''}`;
        } catch {
          /* not the spec's error object: the raw output says it */
        }
        reject(new CniError(`${what} failed (${signal ? `killed by ${signal}` : `exit ${code}`}): ${message}`));
      });
      child.stdin.end(stdin);
    });
  }
}

function pluginLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string };
    return `${entry.level ?? ''} ${(entry.msg ?? line).split('\n')[0]}`.trim().slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

const netnsPath = (netns: string) => `/var/run/netns/${netns}`;

/** A stable 64-hex sandbox id per pod, the shape containerd gives CNI_CONTAINERID. */
function sandboxId(uid: string): string {
  return createHash('sha256').update(uid).digest('hex');
}
