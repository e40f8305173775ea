/**
 * "Ready", as istioctl install means it, plus what only a chart install can tell: CRDs
 * Established; Deployments with every replica of the newest generation ready; DaemonSets
 * with every scheduled pod updated and ready; for istiod, its webhooks patched by istiod
 * itself (caBundle filled in, validation switched from Ignore to Fail). When something is
 * not ready by the deadline, `explain` says why from its conditions, its pods and its events.
 */
import { Kube, k8s } from '../kube';
import { KubeObject, refOf } from './release';

export interface Pending {
  /** `Deployment/istio-system/istiod` */
  readonly ref: string;
  /** what is still missing, e.g. "0/1 replicas ready" */
  readonly waitingFor: string;
  readonly object: KubeObject;
}

/** Objects of a release that something must become true of. */
export function waitedOn(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => ['CustomResourceDefinition', 'Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
}

/** The istiod webhooks whose readiness istiod itself brings about. */
export function istiodWebhooks(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'MutatingWebhookConfiguration' || (o.kind === 'ValidatingWebhookConfiguration' && o.metadata.name.startsWith('istio-validator')));
}

/** What is still missing for one object, or undefined when it is ready. */
export async function notReady(kube: Kube, o: KubeObject): Promise<string | undefined> {
  const namespace = o.metadata.namespace ?? '';
  const name = o.metadata.name;
  switch (o.kind) {
    case 'CustomResourceDefinition': {
      const crd = await kube.ext.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      return established ? undefined : 'not established';
    }
    case 'Deployment': {
      const d = await kube.apps.readNamespacedDeployment({ name, namespace });
      const want = d.spec?.replicas ?? 1;
      const s = d.status ?? {};
      if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) return 'rollout not observed yet';
      const updated = s.updatedReplicas ?? 0;
      const ready = Math.min(s.readyReplicas ?? 0, updated);
      if (updated < want || ready < want || (s.replicas ?? 0) > want) return `${ready}/${want} replicas of the new version ready`;
      return undefined;
    }
    case 'DaemonSet': {
      const ds = await kube.apps.readNamespacedDaemonSet({ name, namespace });
      const s = ds.status;
      if (!s || (s.observedGeneration ?? 0) < (ds.metadata?.generation ?? 0)) return 'rollout not observed yet';
      if (s.desiredNumberScheduled === 0) return undefined;
      if ((s.updatedNumberScheduled ?? 0) < s.desiredNumberScheduled || s.numberReady < s.desiredNumberScheduled) {
        return `${s.numberReady}/${s.desiredNumberScheduled} pods ready`;
      }
      return undefined;
    }
    case 'StatefulSet': {
      const st = await kube.apps.readNamespacedStatefulSet({ name, namespace });
      const want = st.spec?.replicas ?? 1;
      const ready = st.status?.readyReplicas ?? 0;
      return (st.status?.updatedReplicas ?? 0) >= want && ready >= want ? undefined : `${ready}/${want} replicas ready`;
    }
    case 'MutatingWebhookConfiguration': {
      const mwc = await kube.admission.readMutatingWebhookConfiguration({ name });
      const unpatched = (mwc.webhooks ?? []).filter((w) => !w.clientConfig.caBundle).length;
      return unpatched ? `${unpatched} webhook(s) without the CA bundle istiod patches in` : undefined;
    }
    case 'ValidatingWebhookConfiguration': {
      const vwc = await kube.admission.readValidatingWebhookConfiguration({ name });
      const open = (vwc.webhooks ?? []).filter((w) => !w.clientConfig.caBundle || w.failurePolicy !== 'Fail').length;
      return open ? 'validation not yet switched to Fail by istiod' : undefined;
    }
    default:
      return undefined;
  }
}

export interface WaitOptions {
  readonly deadline: number;
  readonly onProgress?: (pending: Pending[]) => void;
}

/**
 * Polls every half second until every object is ready; returns what was still pending at the
 * deadline (empty on success). An object once ready is not read again, so the polls that
 * remain cost a request per pending object.
 */
export async function waitFor(kube: Kube, objects: KubeObject[], opts: WaitOptions): Promise<Pending[]> {
  let pending: Pending[] = [];
  let unready = objects;
  for (;;) {
    pending = [];
    for (const o of unready) {
      let why: string | undefined;
      try {
        why = await notReady(kube, o);
      } catch (e) {
        why = `not readable yet (${(e as Error).message.split('\n')[0]})`;
      }
      if (why) pending.push({ ref: refOf(o), waitingFor: why, object: o });
    }
    opts.onProgress?.(pending);
    if (!pending.length || Date.now() >= opts.deadline) return pending;
    unready = pending.map((p) => p.object);
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, opts.deadline - Date.now()))));
  }
}

/**
 * The newest events, one line per distinct one: a controller retrying (a DaemonSet whose pods
 * are refused) repeats the same message for each generated pod name, and the repeats are
 * counted instead of filling the explanation.
 */
export function eventLines(events: k8s.CoreV1Event[], limit: number): string[] {
  const text = (e: k8s.CoreV1Event) => (e.message ?? '').trim().replace(/^\(combined from similar events\): /, '');
  const time = (e: k8s.CoreV1Event) => String(e.lastTimestamp ?? e.eventTime ?? '');
  const keyOf = (e: k8s.CoreV1Event) => {
    const owner = (e.involvedObject.name ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // a pod name the controller generated: the owner's name and a 5-character suffix
    const generated = new RegExp(`${owner}-[a-z0-9]{5}\\b`, 'g');
    return `${e.type} ${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name} ${text(e).replace(generated, '*')}`;
  };
  const distinct = new Map<string, { event: k8s.CoreV1Event; count: number }>();
  for (const e of [...events].sort((a, b) => time(a).localeCompare(time(b)))) {
    const key = keyOf(e);
    const count = (distinct.get(key)?.count ?? 0) + (e.count ?? 1);
    // re-inserted, so the order is by newest occurrence; the newest wording is shown
    distinct.delete(key);
    distinct.set(key, { event: e, count });
  }
  return [...distinct.values()]
    .slice(-limit)
    .map(({ event: e, count }) => `event ${e.type} ${e.reason} on ${e.involvedObject.kind}/${e.involvedObject.name}${count > 1 ? ` (${count} times)` : ''}: ${text(e)}`);
}

/** `, on node N, which is NotReady: …` when the pod's node is not Ready; nothing when it is, or cannot be read. */
async function nodeTrouble(kube: Kube, name: string): Promise<string> {
  const node = await kube.core.readNode({ name }).catch(() => undefined);
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return '';
  // Unknown: the node stopped sending heartbeats; False: it reports itself unready
  const state = ready.status === 'Unknown' ? 'unreachable' : 'NotReady';
  return `, on node ${name}, which is ${state}${ready.reason ? `: ${ready.reason}` : ''}${ready.message ? ` (${ready.message})` : ''}`;
}

/** Why an object is not ready: conditions, the newest pods' container states, recent events. */
export async function explain(kube: Kube, p: Pending): Promise<string[]> {
  const o = p.object;
  const namespace = o.metadata.namespace;
  const lines: string[] = [`${p.ref}: ${p.waitingFor}`];
  try {
    if (!namespace) return lines;
    const live = (await kube.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace } })) as any;
    for (const c of live.status?.conditions ?? []) {
      if (c.status !== 'True' || c.type === 'ReplicaFailure') lines.push(`condition ${c.type}=${c.status}: ${c.reason ?? ''} ${c.message ?? ''}`.trimEnd());
    }
    const selector = live.spec?.selector?.matchLabels as Record<string, string> | undefined;
    const involved = new Set([o.metadata.name]);
    if (selector) {
      const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector })).items;
      if (!pods.length) lines.push(`no pod matches ${labelSelector} yet`);
      for (const pod of pods.slice(-3)) {
        involved.add(pod.metadata!.name!);
        const states = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
          .filter((s) => !s.ready)
          .map((s) => {
            const w = s.state?.waiting;
            const t = s.state?.terminated ?? s.lastState?.terminated;
            const why = w ? `${w.reason}${w.message ? `: ${w.message}` : ''}` : t ? `exited ${t.exitCode} (${t.reason ?? ''})` : 'not ready';
            return `${s.name} ${why}${s.restartCount ? `, ${s.restartCount} restarts` : ''}`;
          });
        const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status !== 'True');
        // every container ready and the pod not: its node was found unready (the node controller says no more)
        const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
        const podNotReady = pod.status?.phase === 'Running' && ready?.status !== 'True' && !states.length ? `, not Ready${ready?.reason ? ` (${ready.reason})` : ''}` : '';
        const node = pod.spec?.nodeName ? await nodeTrouble(kube, pod.spec.nodeName) : '';
        lines.push(`pod ${pod.metadata!.name}: ${pod.status?.phase}${unscheduled ? `, unschedulable: ${unscheduled.message}` : ''}${podNotReady}${node}${states.length ? `; ${states.join('; ')}` : ''}`);
      }
      for (const rs of (await kube.apps.listNamespacedReplicaSet({ namespace, labelSelector })).items) involved.add(rs.metadata!.name!);
    }
    const events = (await kube.core.listNamespacedEvent({ namespace })).items.filter((e) => involved.has(e.involvedObject.name ?? '') && e.type !== 'Normal');
    lines.push(...eventLines(events, 8));
  } catch (e) {
    lines.push(`(could not read its state: ${(e as Error).message.split('\n')[0]})`);
  }
  return lines;
}
