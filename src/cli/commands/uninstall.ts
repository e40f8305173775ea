/**
 * `istio-charts uninstall`: removes a control plane revision (its istiod release, the
 * gateways it serves and the node agents installed with it, as istioctl selects them by
 * revision) or, with --purge, every release of our charts, in reverse install
 * order, and then what helm does not track: webhooks still pointing at a removed istiod
 * (left behind, they block every pod creation), what istiod itself created (the CA secret,
 * root-certificate ConfigMaps, leader leases), and, after a confirmation, the Istio CRDs,
 * which the base chart keeps on helm uninstall so that no Istio resource is lost by mistake.
 * The namespaces stay, as with istioctl.
 */
import { Command } from 'commander';
import { CommandFailed, UsageError } from '../errors';
import { helm } from '../helm';
import { InstalledRelease, listReleases, releaseValues } from '../install/release';
import { connect, describeError, k8s, Kube, KubeOptions, listJson, request, statusOf } from '../kube';
import { confirm } from '../prompt';
import { parseDuration } from './install';

interface Target extends InstalledRelease {
  /** `agent`: a node agent (cni, ztunnel), which belongs to the revision it was installed with, as with istioctl. */
  kind: 'base' | 'istiod' | 'gateway' | 'agent' | 'other';
  revision: string;
}

const ORDER = { gateway: 0, agent: 1, other: 2, istiod: 3, base: 4 } as const;
const KINDS: Record<string, Target['kind']> = { base: 'base', istiod: 'istiod', gateway: 'gateway', cni: 'agent', ztunnel: 'agent' };

async function targets(kube: Kube): Promise<Target[]> {
  const out: Target[] = [];
  for (const r of await listReleases(kube)) {
    const chart = r.chart.replace(/-\d.*$/, '');
    const kind = KINDS[chart] ?? 'other';
    const values = await releaseValues(kube, r.name, r.namespace);
    out.push({ ...r, kind, revision: String(values.revision ?? '') });
  }
  return out.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}

async function ignoreMissing(what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw new Error(`deleting ${what}: ${describeError(e)}`);
  }
}

/** Webhook configurations whose webhooks all call an istiod Service that no longer exists. */
async function orphanedWebhooks(kube: Kube): Promise<Array<{ kind: 'mutating' | 'validating'; name: string }>> {
  const services = new Set((await kube.core.listServiceForAllNamespaces()).items.map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`));
  const orphaned = (webhooks: Array<{ clientConfig: { service?: { namespace: string; name: string } } }> | undefined) =>
    !!webhooks?.length &&
    webhooks.every((w) => w.clientConfig.service && /^istiod/.test(w.clientConfig.service.name) && !services.has(`${w.clientConfig.service.namespace}/${w.clientConfig.service.name}`));
  const out: Array<{ kind: 'mutating' | 'validating'; name: string }> = [];
  for (const m of (await kube.admission.listMutatingWebhookConfiguration()).items) if (orphaned(m.webhooks)) out.push({ kind: 'mutating', name: m.metadata!.name! });
  for (const v of (await kube.admission.listValidatingWebhookConfiguration()).items) if (orphaned(v.webhooks)) out.push({ kind: 'validating', name: v.metadata!.name! });
  return out;
}

export function uninstallCommand(parent: () => KubeOptions): Command {
  return new Command('uninstall')
    .description('Remove a revision (-r), or everything of ours (--purge)')
    .option('-r, --revision <name>', 'the control plane revision to remove ("default" for the one without a revision)')
    .option('--purge', 'remove every Istio release, what istiod created, and (after confirmation) the CRDs')
    .option('-y, --skip-confirmation', 'do not ask')
    .option('--dry-run', 'list what would be removed')
    .option('--timeout <duration>', 'how long each release, and then the deleted CRDs, may take to go', '2m')
    .action(async (opts: { revision?: string; purge?: boolean; skipConfirmation?: boolean; dryRun?: boolean; timeout: string }) => {
      if (!opts.revision && !opts.purge) throw new UsageError('say what to remove: --revision <name> (default for the unrevisioned control plane) or --purge for everything');
      if (opts.revision && opts.purge) throw new UsageError('--purge removes every revision; drop --revision, or drop --purge');
      const timeoutMs = parseDuration(opts.timeout);
      const kube = connect(parent());
      const all = await targets(kube);
      const revision = opts.revision === 'default' ? '' : opts.revision ?? '';
      const chosen = opts.purge ? all : all.filter((t) => (t.kind === 'istiod' || t.kind === 'gateway' || t.kind === 'agent') && t.revision === revision);
      if (!opts.purge && !chosen.some((t) => t.kind === 'istiod')) {
        const found = [...new Set(all.filter((t) => t.kind === 'istiod').map((t) => t.revision || 'default'))];
        throw new UsageError(`--revision ${opts.revision}: no control plane of that revision (found: ${found.join(', ') || 'none'})`);
      }
      const say = (line: string) => process.stdout.write(`${line}\n`);
      for (const t of chosen) say(`${opts.dryRun ? 'would remove' : 'removing'} release ${t.name} (${t.chart}) in ${t.namespace}`);
      if (opts.dryRun) return;
      if (opts.purge && !(await confirm('This removes every Istio release and, with them, the Istio CRDs and all Istio resources. Proceed?', !!opts.skipConfirmation))) {
        throw new CommandFailed('Cancelled.');
      }
      for (const t of chosen) {
        await helm(['uninstall', t.name, '-n', t.namespace, '--wait', '--timeout', `${timeoutMs}ms`, ...kube.helmFlags]);
        say(`✔ removed ${t.name}`);
      }
      for (const w of await orphanedWebhooks(kube)) {
        await ignoreMissing(`${w.kind} webhook ${w.name}`, () =>
          w.kind === 'mutating' ? kube.admission.deleteMutatingWebhookConfiguration({ name: w.name }) : kube.admission.deleteValidatingWebhookConfiguration({ name: w.name }),
        );
        say(`✔ removed ${w.kind} webhook ${w.name} (its istiod is gone; it would block pod creation)`);
      }
      if (!opts.purge) return;
      // istio-system too when no release is left there: a purge run again finishes an interrupted one
      await purgeLeftovers(kube, [...new Set(['istio-system', ...chosen.map((t) => t.namespace)])], timeoutMs, say);
      say('✔ Uninstall complete');
    });
}

/** What istiod and the charts leave once the releases are gone; the CRDs last. */
async function purgeLeftovers(kube: Kube, namespaces: string[], timeoutMs: number, say: (l: string) => void): Promise<void> {
  // helm's wait ends when the Deployment is gone; its istiod pods may still be stopping, and
  // while one runs it writes back what is removed below
  await istiodPodsGone(kube, namespaces, timeoutMs);
  for (const namespace of namespaces) {
    // istiod's self-signed CA; a plugged-in `cacerts` is the operator's own and stays
    const name = 'istio-ca-secret';
    if (await ignoreMissing(`secret ${namespace}/${name}`, () => kube.core.deleteNamespacedSecret({ name, namespace }))) say(`✔ removed secret ${namespace}/${name}`);
    // with every release gone, an istio-* ConfigMap or Lease left here is istiod's own:
    // leader elections, the CRL copy, the IP auto-allocation record
    for (const cm of (await kube.core.listNamespacedConfigMap({ namespace })).items) {
      const name = cm.metadata!.name!;
      if (!name.startsWith('istio-')) continue;
      if (await ignoreMissing(`configmap ${namespace}/${name}`, () => kube.core.deleteNamespacedConfigMap({ name, namespace }))) say(`✔ removed configmap ${namespace}/${name}`);
    }
    const leases = await request(kube, 'GET', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`);
    for (const lease of (leases.body?.items ?? []) as Array<{ metadata: { name: string } }>) {
      if (!lease.metadata.name.startsWith('istio')) continue;
      await request(kube, 'DELETE', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${lease.metadata.name}`);
      say(`✔ removed lease ${namespace}/${lease.metadata.name}`);
    }
  }
  // istiod writes its root certificate (and CRL, when it has one) into every namespace
  for (const name of ['istio-ca-root-cert', 'istio-ca-crl']) {
    for (const cm of (await kube.core.listConfigMapForAllNamespaces({ fieldSelector: `metadata.name=${name}` })).items) {
      await ignoreMissing(name, () => kube.core.deleteNamespacedConfigMap({ name, namespace: cm.metadata!.namespace! }));
    }
  }
  say('✔ removed istio-ca-root-cert and istio-ca-crl from every namespace');
  const crds = (await kube.ext.listCustomResourceDefinition()).items.map((c) => c.metadata!.name!).filter((n) => /\.istio\.io$/.test(n));
  for (const name of crds) await ignoreMissing(`CRD ${name}`, () => kube.ext.deleteCustomResourceDefinition({ name }));
  await crdsGone(kube, crds, timeoutMs);
  say(`✔ removed ${crds.length} Istio CRDs`);
}

/** Polls `find` until it finds nothing; past `timeoutMs`, fails with what `failure` says of what is left. */
async function untilGone<T>(timeoutMs: number, find: () => Promise<T[]>, failure: (left: T[]) => Promise<string> | string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await find();
    if (!left.length) return;
    if (Date.now() > deadline) throw new CommandFailed(await failure(left));
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function istiodPodsGone(kube: Kube, namespaces: string[], timeoutMs: number): Promise<void> {
  await untilGone(
    timeoutMs,
    async () => {
      const left: string[] = [];
      for (const namespace of namespaces) {
        for (const pod of (await kube.core.listNamespacedPod({ namespace, labelSelector: 'app=istiod' })).items) left.push(`${namespace}/${pod.metadata!.name}`);
      }
      return left;
    },
    (left) => `istiod pods still stopping after ${timeoutMs / 1000} s: ${left.join(', ')}; run uninstall --purge again once they are gone`,
  );
}

/**
 * A deleted CRD stays (Terminating) until the apiserver has deleted every resource of its
 * kind; only then is it gone, and only then is the uninstall complete. A resource that a
 * finalizer holds keeps its CRD forever, so the wait is bounded and names what is left.
 */
async function crdsGone(kube: Kube, deleted: string[], timeoutMs: number): Promise<void> {
  await untilGone(
    timeoutMs,
    async () => (await kube.ext.listCustomResourceDefinition()).items.filter((c) => deleted.includes(c.metadata!.name!)),
    async (left) => {
      const why = await Promise.all(left.map(async (c) => `${c.metadata!.name}: ${await heldBy(kube, c)}`));
      return `the apiserver has not removed ${left.length === 1 ? 'a deleted CRD' : `${left.length} deleted CRDs`} after ${timeoutMs / 1000} s; ${why.join('; ')}`;
    },
  );
}

/** Why a deleted CRD is still there: the resources of its kind left, and the finalizers holding them. */
async function heldBy(kube: Kube, crd: k8s.V1CustomResourceDefinition): Promise<string> {
  const version = crd.spec.versions.find((v) => v.storage)?.name ?? crd.spec.versions[0].name;
  const items = await listJson(kube, `/apis/${crd.spec.group}/${version}/${crd.spec.names.plural}`).catch(() => undefined);
  if (!items?.length) return crd.status?.conditions?.find((x) => x.type === 'Terminating')?.message ?? 'still terminating';
  const shown = items.slice(0, 3).map((o) => {
    const m = o.metadata ?? {};
    const finalizers = m.finalizers?.length ? ` held by finalizer ${m.finalizers.join(', ')}` : '';
    return `${crd.spec.names.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}${finalizers}`;
  });
  return `${items.length} left (${shown.join(', ')}${items.length > 3 ? ', …' : ''})`;
}
