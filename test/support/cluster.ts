/** One real local cluster per test file: started in beforeAll, always stopped in afterAll. */
import { LocalCluster } from '../../src/cluster/cluster';
import { ControlPlane, CommandResult, waitFor } from '../../src/cluster/control-plane';
import { IstiodOptions, LocalIstiod, UPSTREAM_ENVOY_VALUES, waitForIstiod } from '../../src/cluster/istiod';
import { chart } from './helm';
import type { HelmMajor } from '../../src/tools/helm';

export interface Cluster {
  cluster: LocalCluster;
  cp: ControlPlane;
  istiod?: LocalIstiod;
}

/** Start a cluster for this file; `setup` installs what the file needs. */
export function useControlPlane(setup: (c: Cluster) => Promise<void> = async () => {}): Cluster {
  // a test on the cluster waits on rollouts (up to 120 s each) and istiod (180 s): past jest's
  // default the waits' own errors, which name what never came, would be cut off by a bare timeout
  jest.setTimeout(360_000);
  const c = {} as Cluster;
  beforeAll(async () => {
    c.cluster = await LocalCluster.start();
    c.cp = c.cluster.cp;
    await setup(c);
  }, 600_000);
  afterAll(async () => {
    await c.cluster?.stop();
  }, 120_000);
  return c;
}

/** A helm command that must succeed. */
export function mustHelm(cp: ControlPlane, args: string[], major: HelmMajor = 'v3'): CommandResult {
  const r = cp.helm(args, major);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

/** mustHelm without blocking this process (a load probe keeps sending meanwhile). */
export async function mustHelmAsync(cp: ControlPlane, args: string[], major: HelmMajor = 'v3'): Promise<CommandResult> {
  const r = await cp.helmAsync(args, major);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

/** The values file the local cluster's istiod needs for upstream Envoy, as helm args. */
export const upstreamEnvoy = ['-f', UPSTREAM_ENVOY_VALUES];

/** base, then istiod (with extra helm args) with --wait, by helm v3 unless `helm` says v4; returns when istiod serves. */
export async function installIstio(c: Pick<Cluster, 'cp' | 'istiod'>, istiodArgs: string[] = [], options: IstiodOptions & { helm?: HelmMajor } = {}): Promise<void> {
  mustHelm(c.cp, ['install', 'istio-base', chart('base'), '-n', 'istio-system', '--create-namespace'], options.helm);
  mustHelm(c.cp, ['install', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, ...istiodArgs, '--wait', '--timeout', '3m'], options.helm);
  c.istiod = await waitForIstiod(c.cp, options);
}

/** Create an object through the API; returns the response (status and body). */
export async function create(cp: ControlPlane, path: string, body: unknown, dryRun = false) {
  return cp.api('POST', `${path}${dryRun ? '?dryRun=All' : ''}`, body);
}

/** A namespace, once its `default` ServiceAccount exists (pods are refused before that). */
export async function createNamespace(cp: ControlPlane, name: string, labels: Record<string, string> = {}): Promise<void> {
  const r = await create(cp, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  if (r.status !== 201) throw new Error(`namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  await waitFor(`ServiceAccount ${name}/default`, 30_000, () => cp.get(`/api/v1/namespaces/${name}/serviceaccounts/default`));
}

/** A minimal pod, created with a server-side dry run (admission runs, nothing is stored). */
export async function dryRunPod(cp: ControlPlane, namespace: string, name: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...meta },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1', ports: [{ containerPort: 8080 }] }] },
  };
  return create(cp, `/api/v1/namespaces/${namespace}/pods`, pod, true);
}

/** Every container of a pod, init containers included (native sidecars are init containers). */
export const containerNames = (pod: any): string[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: any) => c.name);
