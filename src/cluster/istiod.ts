/**
 * istiod on the local cluster is simply the pod its Deployment creates, run by the node
 * agent like any other. This module waits until that pod is serving for real and describes
 * it for tests: its address, args and env as the chart rendered them.
 */
import { readFileSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ControlPlane, waitFor } from './control-plane';

/** The values file every istiod install on the local cluster adds (see the file's comment). */
export const UPSTREAM_ENVOY_VALUES = join(__dirname, 'values', 'upstream-envoy.yaml');

/**
 * The same settings as an IstioOperator file, for `istio-charts install -f` (IstioOperator
 * values put istiod's env under pilot.env). Derived from the values file into one file under
 * the temp directory (every process writes the same content, renamed into place).
 */
export function upstreamEnvoyOperatorFile(): string {
  const values = YAML.parse(readFileSync(UPSTREAM_ENVOY_VALUES, 'utf8')) as { env: Record<string, string>; telemetry: unknown };
  const iop = {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: 'local-cluster' },
    spec: { values: { pilot: { env: values.env }, telemetry: values.telemetry } },
  };
  const file = join(tmpdir(), 'istio-charts-upstream-envoy.operator.yaml');
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, YAML.stringify(iop));
  renameSync(partial, file);
  return file;
}

export interface IstiodOptions {
  /** Namespace the istiod chart was installed in. @default istio-system */
  readonly namespace?: string;
  /** The chart's `revision` value. @default "" (the default revision) */
  readonly revision?: string;
  /** How long to wait for readiness. @default 180 s */
  readonly timeoutMs?: number;
}

export interface LocalIstiod {
  readonly name: string;
  readonly namespace: string;
  readonly revision: string;
  /** The running pod. */
  readonly pod: string;
  /** The discovery container's args and literal env, as the chart rendered them. */
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Where the webhooks, xDS and the CA (15012) answer: the pod's address. */
  readonly address: string;
}

/** Wait for the revision's istiod pod to be Ready and serving (see waitUntilServing). */
export async function waitForIstiod(cp: ControlPlane, options: IstiodOptions = {}): Promise<LocalIstiod> {
  const namespace = options.namespace ?? 'istio-system';
  const revision = options.revision ?? '';
  const name = revision ? `istiod-${revision}` : 'istiod';
  const timeoutMs = options.timeoutMs ?? 180_000;
  const pod = await waitFor(`a Ready pod of Deployment ${namespace}/${name}`, timeoutMs, async () => {
    const selector = encodeURIComponent(`app=istiod,istio.io/rev=${revision || 'default'}`);
    const list = await cp.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${selector}`);
    return list?.items.find((p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  });
  const container = pod.spec.containers.find((c: any) => c.name === 'discovery');
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = String(e.value);
  const istiod: LocalIstiod = { name, namespace, revision, pod: pod.metadata.name, args: container.args ?? [], env, address: pod.status.podIP };
  await waitUntilServing(cp, istiod, timeoutMs);
  return istiod;
}

/**
 * Serving for real: the CA secret exists, both webhook kinds of this revision carry istiod's
 * CA bundle, and validation was switched to Fail (istiod does that only after the apiserver
 * rejected a bad object through its webhook).
 */
async function waitUntilServing(cp: ControlPlane, istiod: LocalIstiod, timeoutMs: number): Promise<void> {
  const rev = istiod.revision || 'default';
  await waitFor('Secret istio-ca-secret', timeoutMs, () => cp.get(`/api/v1/namespaces/${istiod.namespace}/secrets/istio-ca-secret`));
  const selector = encodeURIComponent(`istio.io/rev=${rev}`);
  await waitFor('caBundle on the injection webhooks', timeoutMs, async () => {
    const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${selector}`);
    const hooks = list.items.flatMap((c: any) => c.webhooks);
    return hooks.length > 0 && hooks.every((w: any) => w.clientConfig.caBundle) ? true : undefined;
  });
  await waitFor('validation webhooks patched and failing closed', timeoutMs, async () => {
    const list = await cp.get(`/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations?labelSelector=${selector}`);
    const hooks = list.items.flatMap((c: any) => c.webhooks);
    return hooks.length > 0 && hooks.every((w: any) => w.clientConfig.caBundle && w.failurePolicy === 'Fail') ? true : undefined;
  });
}
