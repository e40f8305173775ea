/**
 * The install engine behind `istio-charts install` and `npm start`: the plan's releases
 * (base, istiod, cni, ztunnel, gateways) applied with helm side by side and each then waited
 * on, with a live display (listr2: redrawn on a terminal, one line per step elsewhere). A
 * gateway is installed only once its istiod injects, because its pods need the injector.
 * On a timeout, the objects still pending are explained and the install fails.
 */
import { Listr, ListrTask } from 'listr2';
import { InstallPlan, Release } from '../../operator';
import { CommandFailed } from '../errors';
import { Kube } from '../kube';
import { podSecurityPreflight } from './preflight';
import { explain, injectionWebhooks, Pending, validationWebhooks, waitFor, waitedOn } from './readiness';
import { helm } from '../helm';
import { applyRelease, KubeObject, prunable } from './release';

export interface InstallOptions {
  /** wait for readiness (default true) */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  /** listr2 renderer: 'default' redraws (a TTY), 'simple' prints lines */
  readonly renderer?: 'default' | 'simple' | 'silent';
  /** Called once helm has been started on what waits for nothing, before the display begins. */
  readonly announce?: () => void;
  /**
   * The plan's checks (validatePlan), still running: the cluster is read meanwhile, and nothing
   * is applied unless they pass; their failure is the install's.
   */
  readonly checked?: Promise<unknown>;
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

/** An error shown by its first line while the display runs, and whole at the end. */
class Abbreviated extends Error {
  constructor(readonly whole: Error) {
    const [first, ...rest] = whole.message.split('\n');
    super(rest.length ? `${first} (whole reason below)` : first);
  }
}

/** A promise settled from outside: what one release waits for another to bring about. */
function signal(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ([resolve, reject] = [res, rej]));
  promise.catch(() => undefined); // a plan without gateways never awaits it
  return { promise, resolve, reject };
}

/**
 * Every release at once, as istioctl applies its components, except where one needs another:
 * a gateway's pods are made by istiod's injector, so a gateway is applied once its istiod is
 * ready and the injection webhook carries istiod's CA bundle. Base's CRDs need not come first:
 * istiod's chart has no custom resources, and istiod starts its informers as the CRDs appear.
 */
export async function install(kube: Kube, plan: InstallPlan, opts: InstallOptions = {}): Promise<{ seconds: number }> {
  const started = Date.now();
  // read now, used at the end: helm's round trip stays off the critical path
  const stale = prunable(kube, plan);
  stale.catch(() => undefined);
  // the preflight reads the cluster while the plan's checks finish; bad input is reported first
  const [checked, preflight] = await Promise.allSettled([opts.checked, podSecurityPreflight(kube, plan)]);
  if (checked.status === 'rejected') throw checked.reason;
  if (preflight.status === 'rejected') throw preflight.reason;
  const deadline = started + (opts.timeoutMs ?? 300_000);
  const failures: string[] = [];
  const wait = opts.wait !== false;
  // what waits for nothing goes to helm at once, before the display and the cluster client load
  const applying = new Map<Release, Promise<KubeObject[]>>();
  for (const release of plan.releases.filter((r) => r.chart !== 'gateway')) {
    const applied = applyRelease(kube, release, plan.revision);
    applied.catch(() => undefined); // reported by the release's task
    applying.set(release, applied);
  }
  opts.announce?.();

  const waitStep = (title: string, objects: () => KubeObject[]): ListrTask => ({
    title,
    task: async (_ctx, task) => {
      const list = objects();
      if (!list.length) {
        task.skip(`${title}: nothing to wait for`);
        return;
      }
      const onProgress = (p: Pending[]) => {
        if (p.length) task.output = summary(p);
      };
      const pending = await waitFor(kube, list, { deadline, onProgress });
      if (pending.length) {
        for (const p of pending) failures.push(...(await explain(kube, p)));
        throw new Error(`not ready after ${Math.round((opts.timeoutMs ?? 300_000) / 1000)} s: ${summary(pending)}`);
      }
    },
  });

  // a gateway waits for this; with no istiod in the plan, the cluster's own injector serves it
  const injection = signal();
  if (!plan.releases.some((r) => r.chart === 'istiod')) injection.resolve();

  const releaseTask = (release: Release): ListrTask => {
    let installed: KubeObject[] = [];
    const steps: ListrTask[] = [];
    if (release.chart === 'gateway') steps.push({ title: "istiod's injector serving", task: () => injection.promise });
    steps.push({
      title: `helm upgrade --install ${release.release} ${release.chart}`,
      task: async () => {
        try {
          installed = await (applying.get(release) ?? applyRelease(kube, release, plan.revision));
        } catch (e) {
          // the progress line shows helm's first line; the final error, all of it
          throw new Abbreviated(e as Error);
        }
        if (release.chart === 'istiod' && !wait) injection.resolve();
      },
    });
    if (wait) steps.push(waitStep(release.chart === 'base' ? 'CRDs established' : 'workloads ready', () => waitedOn(installed)));
    if (release.chart === 'istiod' && wait) {
      // a remote profile's istiod runs elsewhere and patches nothing here
      const local = () => (installed.some((o) => o.kind === 'Deployment') ? installed : []);
      const injector = waitStep('injection webhooks patched by istiod (CA bundle)', () => injectionWebhooks(local()));
      steps.push({
        ...injector,
        task: async (ctx, task) => {
          await injector.task(ctx, task);
          injection.resolve();
        },
      });
      steps.push(waitStep('validation switched by istiod to failing closed', () => validationWebhooks(local())));
    }
    return {
      title: releaseTitle(release),
      task: async (_ctx, task) => {
        try {
          await task.newListr(steps, { concurrent: false, exitOnError: true }).run();
        } catch (e) {
          if (release.chart === 'istiod') injection.reject(new Error(`${release.release} did not come up`));
          throw e;
        }
      },
    };
  };

  const tasks: ListrTask[] = [
    { title: 'Components', task: (_ctx, task) => task.newListr(plan.releases.map(releaseTask), { concurrent: true, exitOnError: true }) },
    // like istioctl, prune only once everything installed: a failed install leaves the old parts serving
    {
      title: 'Prune what this revision no longer installs',
      task: async (_ctx, task) => {
        const releases = await stale;
        if (!releases.length) return task.skip('Prune: nothing left over');
        for (const r of releases) {
          task.output = `helm uninstall ${r.name} -n ${r.namespace}`;
          await helm(['uninstall', r.name, '-n', r.namespace, '--wait', '--timeout', '2m', ...kube.helmFlags]);
        }
        task.title = `Pruned ${releases.map((r) => `${r.namespace}/${r.name}`).join(', ')}`;
      },
    },
  ];

  const list = new Listr(tasks, {
    exitOnError: true,
    renderer: opts.renderer ?? (process.stdout.isTTY ? 'default' : 'simple'),
    fallbackRenderer: 'simple',
    rendererOptions: { collapseSubtasks: false },
  });
  try {
    await list.run();
  } catch (e) {
    const error = e instanceof Abbreviated ? e.whole : (e as Error);
    const lines = failures.length ? `\n${failures.map((l) => `  ${l}`).join('\n')}` : '';
    process.stderr.write(`✘ Installation failed: ${error.message}${lines}\n`);
    throw new CommandFailed(error.message, true);
  }
  const seconds = (Date.now() - started) / 1000;
  if (opts.renderer !== 'silent') process.stdout.write(`✔ Installation complete in ${seconds.toFixed(1)} s\n`);
  return { seconds };
}
