/**
 * istiod (pilot-discovery) as a local process, started the way the installed istiod chart
 * would run it: args and env are read from the Deployment the chart created, never from a
 * second copy. Pod-only inputs are filled in for a process: the downward-API fields, the CPU
 * limit, and KUBECONFIG (the chart points it at a remote-cluster mount; here it is the admin
 * kubeconfig). The istiod Service gets an EndpointSlice pointing at the namespace address,
 * so the apiserver calls the webhooks exactly as in a cluster.
 */
import { mkdtempSync } from 'fs';
import { join } from 'path';
import { ControlPlane, cleanEnv, waitFor } from './control-plane';
import { LocalProcess } from './processes';

export interface IstiodOptions {
  /** Namespace the istiod chart was installed in. @default istio-system */
  readonly namespace?: string;
  /** The chart's `revision` value. @default "" (the default revision) */
  readonly revision?: string;
  /** Extra env, e.g. ENABLE_NATIVE_SIDECARS for a test that wants one shape. */
  readonly env?: Record<string, string>;
  /** How long to wait for readiness. @default 180 s */
  readonly timeoutMs?: number;
}

export interface LocalIstiod {
  readonly process: LocalProcess;
  readonly name: string;
  readonly namespace: string;
  readonly revision: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Where the webhooks, xDS and the CA (15012) answer. */
  readonly address: string;
  stop(): Promise<void>;
}

/** The discovery container's env with pod-only sources resolved for a local process. */
async function resolveEnv(cp: ControlPlane, pod: any, container: any, name: string, namespace: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.fieldRef) {
      const path = e.valueFrom.fieldRef.fieldPath;
      const fields: Record<string, string> = {
        'metadata.name': `${name}-local`,
        'metadata.namespace': namespace,
        'spec.serviceAccountName': pod.spec.serviceAccountName,
        'status.podIP': cp.netns.address,
      };
      if (!(path in fields)) throw new Error(`env ${e.name}: fieldRef ${path} has no local equivalent`);
      env[e.name] = fields[path];
    } else if (e.valueFrom?.resourceFieldRef) {
      env[e.name] = '2'; // this machine's cores stand in for the CPU limit
    } else if (e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
      const kind = e.valueFrom.secretKeyRef ? 'secrets' : 'configmaps';
      const obj = await cp.get(`/api/v1/namespaces/${namespace}/${kind}/${ref.name}`);
      const raw = obj?.data?.[ref.key];
      if (raw === undefined && !ref.optional) throw new Error(`env ${e.name}: ${kind}/${ref.name} has no key ${ref.key}`);
      if (raw !== undefined) env[e.name] = kind === 'secrets' ? Buffer.from(raw, 'base64').toString() : raw;
    }
  }
  env.KUBECONFIG = cp.kubeconfig;
  return env;
}

/** Point the istiod Service at the namespace address, port by port (as the endpoints controller would). */
async function publishEndpoints(cp: ControlPlane, service: string, namespace: string): Promise<void> {
  const svc = await cp.get(`/api/v1/namespaces/${namespace}/services/${service}`);
  if (!svc) throw new Error(`Service ${namespace}/${service} not found; is the istiod chart installed?`);
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-local`,
      namespace,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'istio-charts.local' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cp.netns.address], conditions: { ready: true } }],
    ports: svc.spec.ports.map((p: any) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' })),
  };
  const path = `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`;
  const r = await cp.api('POST', path, slice);
  if (r.status === 409) {
    const put = await cp.api('PUT', `${path}/${slice.metadata.name}`, slice);
    if (put.status !== 200) throw new Error(`updating EndpointSlice: ${put.status} ${JSON.stringify(put.body)}`);
  } else if (r.status !== 201) throw new Error(`creating EndpointSlice: ${r.status} ${JSON.stringify(r.body)}`);
}

export async function startIstiod(cp: ControlPlane, options: IstiodOptions = {}): Promise<LocalIstiod> {
  const namespace = options.namespace ?? 'istio-system';
  const revision = options.revision ?? '';
  const name = revision ? `istiod-${revision}` : 'istiod';
  const deployment = await cp.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
  if (!deployment) throw new Error(`Deployment ${namespace}/${name} not found; install the istiod chart before starting istiod`);
  const pod = deployment.spec.template;
  const container = pod.spec.containers.find((c: any) => c.name === 'discovery');
  if (!container) throw new Error(`Deployment ${name} has no discovery container`);

  await publishEndpoints(cp, name, namespace);
  const env = { ...(await resolveEnv(cp, pod, container, name, namespace)), ...(options.env ?? {}) };
  const args = [...(container.args ?? []), `--kubeconfig=${cp.kubeconfig}`];
  // an empty working directory: istiod looks for ./etc/cacerts and ./var/lib/istio/inject
  const cwd = mkdtempSync(join(cp.dir, `${name}-`));
  const process = cp.spawn(name, cp.binaries.pilotDiscovery, args, { cwd, env: cleanEnv(env) });
  const istiod: LocalIstiod = { process, name, namespace, revision, args, env, address: cp.netns.address, stop: () => process.stop() };
  await waitUntilServing(cp, istiod, options.timeoutMs ?? 180_000);
  return istiod;
}

/**
 * Ready means serving for real: /ready answers, the CA secret exists, both webhook kinds of
 * this revision carry istiod's CA bundle, and validation was switched to Fail (istiod does
 * that only after the apiserver rejected a bad object through its webhook).
 */
async function waitUntilServing(cp: ControlPlane, istiod: LocalIstiod, timeoutMs: number): Promise<void> {
  const rev = istiod.revision || 'default';
  const log = () => istiod.process.logTail(40);
  const check = async <T>(what: string, fn: () => Promise<T | undefined>) =>
    waitFor(what, timeoutMs, async () => {
      istiod.process.assertRunning();
      return fn();
    }, log);

  await check('istiod /ready', async () => ((await fetch(`http://${istiod.address}:8080/ready`)).status === 200 ? true : undefined));
  await check('Secret istio-ca-secret', () => cp.get(`/api/v1/namespaces/${istiod.namespace}/secrets/istio-ca-secret`));
  const selector = encodeURIComponent(`istio.io/rev=${rev}`);
  await check('caBundle on the injection webhooks', async () => {
    const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${selector}`);
    const hooks = list.items.flatMap((c: any) => c.webhooks);
    return hooks.length > 0 && hooks.every((w: any) => w.clientConfig.caBundle) ? true : undefined;
  });
  await check('validation webhooks patched and failing closed', async () => {
    const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations?labelSelector=${selector}`);
    const hooks = list.items.flatMap((c: any) => c.webhooks);
    return hooks.length > 0 && hooks.every((w: any) => w.clientConfig.caBundle && w.failurePolicy === 'Fail') ? true : undefined;
  });
}
