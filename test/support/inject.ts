/**
 * Offline sidecar injection with the pinned release's istioctl: a chart's injector ConfigMap
 * (`config`, `values`) and mesh ConfigMap (`mesh`) are written to files and fed to
 * `istioctl kube-inject`, exactly as its help text suggests for a captured cluster config.
 */
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { istioBinaries } from '../../src/cluster/binaries';
import { binDir } from '../../src/tools/cache';
import { MIN_GO_MINOR, goBuildEnv, requireGo } from '../../src/tools/go';
import { ISTIO_MODULE } from '../../src/versions';
import { find, template } from './helm';

export interface InjectorInputs {
  /** Directory holding inject-config.yaml, values.json and mesh.yaml. */
  readonly dir: string;
  /** Revision the chart was rendered for ('' for the default one). */
  readonly revision: string;
  readonly config: string;
  readonly values: string;
  readonly mesh: string;
}

/** One scratch directory per test process; see removeScratch. */
let scratch: string | undefined;
function scratchDir(prefix: string): string {
  if (!scratch) {
    const root = mkdtempSync(join(tmpdir(), 'istio-inject-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    scratch = root;
  }
  return mkdtempSync(join(scratch, prefix));
}

/** Remove the files written so far (call from afterAll: jest may stop a worker without an exit event). */
export function removeScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  istioctlHome = undefined;
}

/** Render `chartPath` with `set` (and `--set-string` for `setString`) and write its injector inputs into a new directory. */
export function injectorInputs(chartPath: string, set: string[], label: string, setString: string[] = []): InjectorInputs {
  const revision = [...set].reverse().find((s) => s.startsWith('revision='))?.slice('revision='.length) ?? '';
  const suffix = revision ? `-${revision}` : '';
  const extraArgs = setString.flatMap((s) => ['--set-string', s]);
  const { objects } = template('v4', chartPath, { release: 'istiod', namespace: 'istio-system', set, extraArgs });
  const injector = find(objects, 'ConfigMap', `istio-sidecar-injector${suffix}`);
  const mesh = find(objects, 'ConfigMap', `istio${suffix}`);
  const dir = scratchDir(`${label.replace(/[^\w-]+/g, '_')}-`);
  writeFileSync(join(dir, 'inject-config.yaml'), injector.data.config);
  writeFileSync(join(dir, 'values.json'), injector.data.values);
  writeFileSync(join(dir, 'mesh.yaml'), mesh.data.mesh);
  return { dir, revision, config: injector.data.config, values: injector.data.values, mesh: mesh.data.mesh };
}

export interface InjectOptions {
  /** Environment of the istioctl process, standing in for istiod's (e.g. ENABLE_NATIVE_SIDECARS). */
  readonly env?: Record<string, string>;
}

let istioctlHome: string | undefined;

/** `istioctl kube-inject` of one input file; returns the parsed output objects. */
export function kubeInject(inputs: InjectorInputs, inputFile: string, o: InjectOptions = {}): any[] {
  const { istioctl } = istioBinaries();
  // no cluster: a kubeconfig that does not exist, and an explicit revision so istioctl does not look one up
  const home = (istioctlHome ??= scratchDir('istioctl-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, KUBECONFIG: join(home, 'no-kubeconfig') };
  delete env.ENABLE_NATIVE_SIDECARS;
  Object.assign(env, o.env ?? {});
  const args = [
    'kube-inject',
    '--revision', inputs.revision || 'default',
    '--injectConfigFile', join(inputs.dir, 'inject-config.yaml'),
    '--valuesFile', join(inputs.dir, 'values.json'),
    '--meshConfigFile', join(inputs.dir, 'mesh.yaml'),
    '-f', inputFile,
  ];
  const r = spawnSync(istioctl, args, { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`istioctl kube-inject -f ${inputFile} (${inputs.dir}) failed:\n${r.stderr}`);
  return YAML.parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .filter((x) => x !== null && x !== undefined);
}

/** The pod template of an injected workload (or the pod itself). */
export function podOf(obj: any): { metadata: any; spec: any } {
  if (obj.kind === 'Pod') return { metadata: obj.metadata ?? {}, spec: obj.spec ?? {} };
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template;
  return obj.spec.template;
}

/**
 * The gateway templates (waypoint, kube-gateway, agentgateway, agentgateway-waypoint) are not run
 * by the injector but by istiod's gateway controller, with a Gateway and the controller's
 * TemplateInput; kube-inject cannot run them. This
 * small program does what the controller's render step does, with the pinned release's code: it
 * loads the injector config (parsing every template with istiod's function map), builds the
 * controller's input from a scenario file and prints what the named template produces.
 * Its source is gateway-template-render/main.go, built in a scratch module that requires the
 * pinned istio.io/istio.
 */
const RENDER_MAIN = join(__dirname, 'gateway-template-render', 'main.go');

let renderer: string | undefined;

/** The gateway template renderer, built once per pinned version (about a minute, then cached). */
export function gatewayTemplateRenderer(): string {
  if (renderer) return renderer;
  const dir = binDir(`istio-template-render-${ISTIO_MODULE.version}`);
  const binary = join(dir, 'render');
  if (!existsSync(binary)) {
    const tmp = `${dir}.partial-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    requireGo('the gateway template renderer');
    writeFileSync(join(tmp, 'go.mod'), `module local/istio-template-render\n\ngo 1.${MIN_GO_MINOR}\n\nrequire ${ISTIO_MODULE.path} ${ISTIO_MODULE.version}\n`);
    copyFileSync(RENDER_MAIN, join(tmp, 'main.go'));
    const env = goBuildEnv();
    process.stderr.write(`building the gateway template renderer against ${ISTIO_MODULE.path}@${ISTIO_MODULE.version} (first run only)...\n`);
    execFileSync('go', ['mod', 'tidy'], { cwd: tmp, env, stdio: ['ignore', 'inherit', 'inherit'] });
    // the same tags as istiod's build, so the Go build cache of the istioctl build is reused
    execFileSync('go', ['build', '-trimpath', '-tags', 'vtprotobuf,disable_pgv', '-o', 'render', '.'], { cwd: tmp, env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (!existsSync(binary)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } else {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return (renderer = binary);
}

/** Run a gateway-controller template (`waypoint`, `kube-gateway`, `agentgateway`, `agentgateway-waypoint`) of a chart for a scenario file; returns the objects. */
export function renderGatewayTemplate(inputs: InjectorInputs, name: string, scenarioFile: string): any[] {
  const r = spawnSync(
    gatewayTemplateRenderer(),
    [join(inputs.dir, 'inject-config.yaml'), join(inputs.dir, 'values.json'), join(inputs.dir, 'mesh.yaml'), name, scenarioFile],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`rendering ${name} for ${scenarioFile} (${inputs.dir}) failed:\n${r.stderr}`);
  return YAML.parseAllDocuments(r.stdout)
    .map((d) => {
      if (d.errors.length) throw new Error(`${name} rendered invalid YAML for ${scenarioFile}: ${d.errors[0].message}\n${r.stdout}`);
      return d.toJS();
    })
    .filter((x) => x !== null && x !== undefined);
}
