/** One real control plane per test file: started in beforeAll, always stopped in afterAll. */
import { ControlPlane, CommandResult } from '../../src/cluster/control-plane';
import { LocalIstiod, IstiodOptions, startIstiod } from '../../src/cluster/istiod';
import { chart } from './helm';

export interface Cluster {
  cp: ControlPlane;
  istiod?: LocalIstiod;
}

/** Start a control plane for this file; `setup` installs what the file needs. */
export function useControlPlane(setup: (c: Cluster) => Promise<void> = async () => {}): Cluster {
  const cluster = {} as Cluster;
  beforeAll(async () => {
    cluster.cp = await ControlPlane.start();
    await setup(cluster);
  }, 600_000);
  afterAll(async () => {
    await cluster.cp?.stop();
  }, 120_000);
  return cluster;
}

/** A helm command that must succeed. */
export function mustHelm(cp: ControlPlane, args: string[]): CommandResult {
  const r = cp.helm(args);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

/** base, then istiod (with extra helm args), then istiod itself. */
export async function installIstio(c: Cluster, istiodArgs: string[] = [], options: IstiodOptions = {}): Promise<void> {
  mustHelm(c.cp, ['install', 'istio-base', chart('base'), '-n', 'istio-system', '--create-namespace']);
  mustHelm(c.cp, ['install', 'istiod', chart('istiod'), '-n', 'istio-system', ...istiodArgs]);
  c.istiod = await startIstiod(c.cp, options);
}

/** Create an object through the API; returns the response (status and body). */
export async function create(cp: ControlPlane, path: string, body: unknown, dryRun = false) {
  return cp.api('POST', `${path}${dryRun ? '?dryRun=All' : ''}`, body);
}

export async function createNamespace(cp: ControlPlane, name: string, labels: Record<string, string> = {}): Promise<void> {
  const r = await create(cp, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  if (r.status !== 201) throw new Error(`namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** A minimal pod, created with a server-side dry run (admission runs, nothing is stored). */
export async function dryRunPod(cp: ControlPlane, namespace: string, name: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...meta },
    // set by the ServiceAccount admission plugin in a full cluster; here it is off (no controller-manager)
    spec: { serviceAccountName: 'default', containers: [{ name: 'app', image: 'registry.example/app:1', ports: [{ containerPort: 8080 }] }] },
  };
  return create(cp, `/api/v1/namespaces/${namespace}/pods`, pod, true);
}

/** Every container of a pod, init containers included (native sidecars are init containers). */
export const containerNames = (pod: any): string[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: any) => c.name);
