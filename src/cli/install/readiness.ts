/**
 * "Ready", as istioctl install means it, plus what only a chart install can tell: CRDs
 * Established; Deployments with every replica of the newest generation ready; DaemonSets
 * with every scheduled pod updated and ready; for istiod, its webhooks patched by istiod
 * itself (caBundle filled in, validation switched from Ignore to Fail). When something is
 * not ready by the deadline, `explain` says why from its conditions, its pods and its events.
 * Waiting is by watch, so a change is seen at once rather than at the next poll.
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

/** The webhooks istiod patches with its CA bundle so the apiserver can call its injector. */
export function injectionWebhooks(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
}

/** The validating webhooks istiod switches from Ignore to Fail once it serves them. */
export function validationWebhooks(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'ValidatingWebhookConfiguration' && o.metadata.name.startsWith('istio-validator'));
}

/** What is still missing for one object as the API serves it, or undefined when it is ready. */
export function readinessOf(kind: string, live: any): string | undefined {
  const s = live.status ?? {};
  const generationSeen = (s.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
  switch (kind) {
    case 'CustomResourceDefinition':
      return (s.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True') ? undefined : 'not established';
    case 'Deployment': {
      const want = live.spec?.replicas ?? 1;
      if (!generationSeen) return 'rollout not observed yet';
      const updated = s.updatedReplicas ?? 0;
      const ready = Math.min(s.readyReplicas ?? 0, updated);
      if (updated < want || ready < want || (s.replicas ?? 0) > want) return `${ready}/${want} replicas of the new version ready`;
      return undefined;
    }
    case 'DaemonSet': {
      if (!live.status || !generationSeen) return 'rollout not observed yet';
      if (s.desiredNumberScheduled === 0) return undefined;
      if ((s.updatedNumberScheduled ?? 0) < s.desiredNumberScheduled || s.numberReady < s.desiredNumberScheduled) {
        return `${s.numberReady}/${s.desiredNumberScheduled} pods ready`;
      }
      return undefined;
    }
    case 'StatefulSet': {
      const want = live.spec?.replicas ?? 1;
      const ready = s.readyReplicas ?? 0;
      return (s.updatedReplicas ?? 0) >= want && ready >= want ? undefined : `${ready}/${want} replicas ready`;
    }
    case 'MutatingWebhookConfiguration': {
      const unpatched = (live.webhooks ?? []).filter((w: any) => !w.clientConfig?.caBundle).length;
      return unpatched ? `${unpatched} webhook(s) without the CA bundle istiod patches in` : undefined;
    }
    case 'ValidatingWebhookConfiguration': {
      const open = (live.webhooks ?? []).filter((w: any) => !w.clientConfig?.caBundle || w.failurePolicy !== 'Fail').length;
      return open ? 'validation not yet switched to Fail by istiod' : undefined;
    }
    default:
      return undefined;
  }
}

/** The collection URL of an object's kind, e.g. /apis/apps/v1/namespaces/istio-system/deployments. */
export function collectionPath(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  // every kind waited on makes its plural with an s
  return `${group}${o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : ''}/${o.kind.toLowerCase()}s`;
}

export interface WaitOptions {
  readonly deadline: number;
  readonly onProgress?: (pending: Pending[]) => void;
}

/**
 * Watches each object until every one is ready; returns what was still pending at the deadline
 * (empty on success). A watch answers within a round trip of the change, where a poll would wait
 * out its interval; one that ends (the server closes watches now and then) is opened again.
 */
export function waitFor(kube: Kube, objects: KubeObject[], opts: WaitOptions): Promise<Pending[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Watch } = require('@kubernetes/client-node') as typeof k8s;
  const watch = new Watch(kube.config);
  const state = new Map<KubeObject, string | undefined>(objects.map((o) => [o, 'not seen yet']));
  const pending = (): Pending[] => [...state].filter(([, why]) => why).map(([o, why]) => ({ ref: refOf(o), waitingFor: why!, object: o }));
  return new Promise((resolve) => {
    const open = new Set<AbortController>();
    let done = false;
    let shown = '';
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const c of open) c.abort();
      resolve(pending());
    };
    const update = (o: KubeObject, why: string | undefined) => {
      if (done) return;
      state.set(o, why);
      const now = pending();
      const key = now.map((p) => `${p.ref}:${p.waitingFor}`).join(',');
      if (key !== shown) opts.onProgress?.(now);
      shown = key;
      if (!now.length) finish();
    };
    const watchOne = (o: KubeObject) => {
      if (done) return;
      let controller: AbortController | undefined;
      const onEvent = (phase: string, live: unknown) => {
        // an ERROR event (a Status, e.g. 410 Gone) ends the watch, which is then opened again
        if (phase !== 'ERROR') update(o, phase === 'DELETED' ? 'deleted' : readinessOf(o.kind, live));
      };
      const onEnd = (err: unknown) => {
        if (controller) open.delete(controller);
        if (done) return;
        if (err) update(o, `not readable yet (${String((err as Error).message ?? err).split('\n')[0]})`);
        setTimeout(() => watchOne(o), err ? 500 : 0);
      };
      void watch.watch(collectionPath(o), { fieldSelector: `metadata.name=${o.metadata.name}` }, onEvent, onEnd).then((c) => {
        controller = c;
        if (done) c.abort();
        else open.add(c);
      });
    };
    const timer = setTimeout(finish, Math.max(0, opts.deadline - Date.now()));
    if (!objects.length) finish();
    for (const o of objects) watchOne(o);
  });
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
    lines.push(`(could not read its state: ${(e as Error).message})`);
  }
  return lines;
}
