/**
 * The install engine behind `istio-charts install` and `npm start`: the plan's releases in
 * order (base, istiod, cni, ztunnel, gateways), each applied with helm and then waited on,
 * with a live display (listr2: redrawn on a terminal, one line per step elsewhere). A
 * gateway is installed only once its istiod injects, because its pods need the injector.
 * On a timeout, the objects still pending are explained and the install fails.
 */
import { Listr, ListrTask } from 'listr2';
import { InstallPlan, Release } from '../../operator';
import { CommandFailed } from '../errors';
import { Kube } from '../kube';
import { podSecurityPreflight } from './preflight';
import { explain, istiodWebhooks, Pending, waitFor, waitedOn } from './readiness';
import { helm } from '../helm';
import { applyRelease, installedObjects, KubeObject, prunable } from './release';

export interface InstallOptions {
  /** wait for readiness (default true) */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  /** listr2 renderer: 'default' redraws (a TTY), 'simple' prints lines */
  readonly renderer?: 'default' | 'simple' | 'silent';
}

const COMPONENT_TITLES: Record<Release['component'], string> = {
  base: 'Base', pilot: 'Istiod', ingressGateways: 'Ingress gateway', egressGateways: 'Egress gateway', cni: 'CNI node agent', ztunnel: 'Ztunnel',
};

export function releaseTitle(r: Release): string {
  return `${COMPONENT_TITLES[r.component]} ${r.release} (${r.namespace})`;
}

function summary(pending: Pending[]): string {
  return pending.slice(0, 3).map((p) => `${p.ref}: ${p.waitingFor}`).join('; ') + (pending.length > 3 ? `; and ${pending.length - 3} more` : '');
}

export async function install(kube: Kube, plan: InstallPlan, opts: InstallOptions = {}): Promise<{ seconds: number }> {
  await podSecurityPreflight(kube, plan);
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 300_000);
  const failures: string[] = [];

  const waitStep = (title: string, objects: () => Promise<ReturnType<typeof waitedOn>>): ListrTask => ({
    title,
    task: async (_ctx, task) => {
      const list = await objects();
      if (!list.length) {
        task.skip(`${title}: nothing to wait for`);
        return;
      }
      let shown = '';
      const onProgress = (p: Pending[]) => {
        // say it again only when it changes: the line display prints every update
        const now = p.length ? summary(p) : '';
        if (now && now !== shown) task.output = now;
        shown = now;
      };
      const pending = await waitFor(kube, list, { deadline, onProgress });
      if (pending.length) {
        for (const p of pending) failures.push(...(await explain(kube, p)));
        throw new Error(`not ready after ${Math.round((opts.timeoutMs ?? 300_000) / 1000)} s: ${summary(pending)}`);
      }
    },
  });

  const tasks: ListrTask[] = plan.releases.map((release): ListrTask => {
    // what helm installed, read once (after the apply) for both waits
    let installed: Promise<KubeObject[]> | undefined;
    const objects = () => (installed ??= installedObjects(kube, release.release, release.namespace));
    return {
      title: releaseTitle(release),
      task: (_ctx, task) =>
        task.newListr(
          [
            { title: `helm upgrade --install ${release.release} ${release.chart}`, task: () => applyRelease(kube, release, plan.revision) },
            ...(opts.wait === false
              ? []
              : [
                  waitStep(release.chart === 'base' ? 'CRDs established' : 'workloads ready', async () => waitedOn(await objects())),
                  ...(release.chart === 'istiod'
                    ? [
                        waitStep('webhooks patched by istiod (CA bundle, validation failing closed)', async () => {
                          const all = await objects();
                          // a remote profile's istiod runs elsewhere and patches nothing here
                          return all.some((o) => o.kind === 'Deployment') ? istiodWebhooks(all) : [];
                        }),
                      ]
                    : []),
                ]),
          ],
          { exitOnError: true },
        ),
    };
  });

  // like istioctl, prune only once everything installed: a failed install leaves the old parts serving
  tasks.push({
    title: 'Prune what this revision no longer installs',
    task: async (_ctx, task) => {
      const stale = await prunable(kube, plan);
      if (!stale.length) return task.skip('Prune: nothing left over');
      for (const r of stale) {
        task.output = `helm uninstall ${r.name} -n ${r.namespace}`;
        await helm(['uninstall', r.name, '-n', r.namespace, '--wait', '--timeout', '2m', ...kube.helmFlags]);
      }
      task.title = `Pruned ${stale.map((r) => `${r.namespace}/${r.name}`).join(', ')}`;
    },
  });

  const list = new Listr(tasks, {
    exitOnError: true,
    renderer: opts.renderer ?? (process.stdout.isTTY ? 'default' : 'simple'),
    fallbackRenderer: 'simple',
    rendererOptions: { collapseSubtasks: false },
  });
  try {
    await list.run();
  } catch (e) {
    const lines = failures.length ? `\n${failures.map((l) => `  ${l}`).join('\n')}` : '';
    process.stderr.write(`✘ Installation failed: ${(e as Error).message}${lines}\n`);
    throw new CommandFailed((e as Error).message, true);
  }
  const seconds = (Date.now() - started) / 1000;
  if (opts.renderer !== 'silent') process.stdout.write(`✔ Installation complete in ${seconds.toFixed(1)} s\n`);
  return { seconds };
}
