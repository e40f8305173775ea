/**
 * What an install would change, object by object, without writing anything: helm renders
 * each release against the cluster (--dry-run=server), every object goes through a
 * server-side apply dry run (so admission, defaulting and field ownership are the
 * apiserver's own), and the result is compared with the live object. Objects the release
 * has now but the new render lacks would be deleted by helm's upgrade.
 */
import { InstallPlan } from '../../operator';
import { Kube, request, resourceOf } from '../kube';
import { diffPaths, short } from '../output';
import { dryRunRelease, installedObjects, KubeObject, prunable, refOf } from './release';

export interface ObjectChange {
  readonly release: string;
  readonly action: 'create' | 'change' | 'delete' | 'prune';
  readonly ref: string;
  /** changed fields as "path: old -> new" (change only) */
  readonly fields: string[];
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The parts of an object the cluster writes itself, left out of the comparison. */
function comparable(o: any): unknown {
  const json = JSON.parse(JSON.stringify(o));
  delete json.status;
  for (const f of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp']) delete json.metadata?.[f];
  return json;
}

/** The object with the namespace helm would give it (the release's, for namespaced kinds the server knows). */
async function placed(kube: Kube, o: KubeObject, namespace: string): Promise<{ object: KubeObject; path?: string }> {
  const info = await resourceOf(kube, o.apiVersion, o.kind, o.metadata.namespace ?? namespace);
  // a kind the cluster does not serve yet: its CRD comes with this install
  if (!info) return { object: { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } } };
  const ns = info.namespaced ? (o.metadata.namespace ?? namespace) : undefined;
  return { object: { ...o, metadata: { ...o.metadata, namespace: ns } }, path: `${info.collection}/${o.metadata.name}` };
}

async function changeOf(kube: Kube, release: string, object: KubeObject, path: string | undefined): Promise<ObjectChange | undefined> {
  const ref = refOf(object);
  if (!path) return { release, action: 'create', ref, fields: [] };
  const live = await request(kube, 'GET', path);
  if (live.status === 404) return { release, action: 'create', ref, fields: [] };
  if (live.status !== 200) throw new Error(`reading ${ref}: ${live.body?.message ?? live.status}`);
  const applied = await request(kube, 'PATCH', `${path}?dryRun=All&fieldManager=istio-charts&force=true`, { body: object, contentType: 'application/apply-patch+yaml', timeoutMs: 60_000 });
  if (applied.status !== 200) throw new Error(`dry-run apply of ${ref}: ${applied.body?.message ?? applied.status}`);
  const fields = diffPaths(comparable(live.body), comparable(applied.body)).map(([p, a, b]) => `${p}: ${short(a)} -> ${short(b)}`);
  return fields.length ? { release, action: 'change', ref, fields } : undefined;
}

/** Every change an install of the plan would make. */
export async function planDiff(kube: Kube, plan: InstallPlan): Promise<ObjectChange[]> {
  const changes: ObjectChange[] = [];
  for (const release of plan.releases) {
    const next = await dryRunRelease(kube, release);
    const nextKeys = new Set<string>();
    for (const o of next) {
      const { object, path } = await placed(kube, o, release.namespace);
      nextKeys.add(key(object));
      const change = await changeOf(kube, release.release, object, path);
      if (change) changes.push(change);
    }
    for (const o of await installedObjects(kube, release.release, release.namespace)) {
      const { object } = await placed(kube, o, release.namespace);
      if (!nextKeys.has(key(object))) changes.push({ release: release.release, action: 'delete', ref: refOf(object), fields: [] });
    }
  }
  for (const r of await prunable(kube, plan)) changes.push({ release: r.name, action: 'prune', ref: `release ${r.namespace}/${r.name}`, fields: [] });
  return changes;
}

export function formatDiff(changes: ObjectChange[]): string {
  if (!changes.length) return 'No changes: the cluster already has exactly this installation.\n';
  const sign = { create: '+', change: '~', delete: '-', prune: '-' } as const;
  const lines = changes.map((c) => `${sign[c.action]} ${c.ref} (${c.release})${c.fields.map((f) => `\n    ${f}`).join('')}`);
  const count = (a: ObjectChange['action']) => changes.filter((c) => c.action === a).length;
  const pruned = count('prune') ? `, ${count('prune')} release(s) to uninstall` : '';
  return `${lines.join('\n')}\n${count('create')} to create, ${count('change')} to change, ${count('delete')} to delete${pruned}\n`;
}
