/**
 * `istio-charts check [--pre|--post] [-r revision] [-o text|json]`: istioctl's `x precheck` and
 * more, as findings with a severity and a fix; exit 1 when any is an error. Without --pre or
 * --post, the post-install checks run when the cluster has an istiod, else the pre-install ones.
 */
import { Command, Option } from 'commander';
import { ISTIO_VERSION } from '../../versions';
import {
  apiReachable, blockingWebhooks, gatewayApiCrds, dryRunInjection, existingInstalls, injectionNamespaces, istioCrds, istiodAvailable, kubernetesVersion, permissions,
  revisionTags, webhooksPatched,
} from '../check/checks';
import { Result, error, formatJson, formatText, warning } from '../check/findings';
import { CommandFailed, UsageError } from '../errors';
import { KubeOptions, connect } from '../kube';
import { Istiod, istiodDeployments } from '../state';

interface Options {
  pre?: boolean;
  post?: boolean;
  revision?: string;
  istioNamespace: string;
  output: string;
}

export async function runChecks(kube: ReturnType<typeof connect>, o: Options): Promise<{ mode: 'pre' | 'post'; results: Result[] }> {
  const results: Result[] = [];
  /** A check the caller may not be allowed to run (a forbidden list, say) is a warning, and the others still run. */
  const guard = async <T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      results.push(warning(what, `could not check ${what}: ${(e as Error).message}`, 'run the check as a user who may read the cluster (the installer\'s credentials)'));
      return fallback;
    }
  };
  const version = await apiReachable(kube, results);
  if (!version) return { mode: o.post ? 'post' : 'pre', results };
  kubernetesVersion(version, results);
  const all = await guard('istiod', [] as Istiod[], () => istiodDeployments(kube));
  const mode: 'pre' | 'post' = o.pre ? 'pre' : o.post ? 'post' : all.length ? 'post' : 'pre';
  if (mode === 'pre') {
    await guard('permissions', undefined, () => permissions(kube, o.istioNamespace, results));
    await guard('existing-install', undefined, () => existingInstalls(kube, results));
    await guard('webhook', undefined, () => blockingWebhooks(kube, results));
    await guard('crds', undefined, () => istioCrds(kube, o.istioNamespace, true, results));
    await guard('gateway-api', undefined, () => gatewayApiCrds(kube, results));
    return { mode, results };
  }
  const istiods = o.revision ? all.filter((d) => d.revision === o.revision) : all;
  if (!istiods.length) {
    const found = [...new Set(all.map((d) => d.revision))];
    results.push(error('istiod', o.revision ? `no istiod of revision ${o.revision} (revisions: ${found.join(', ') || 'none'})` : 'no istiod is installed',
      o.revision ? 'pick an installed revision with -r' : `install istiod ${ISTIO_VERSION} (helm install istiod ./charts/istiod -n ${o.istioNamespace}), or run check --pre`));
  }
  const revisions = [...new Set(istiods.map((d) => d.revision))];
  istiodAvailable(istiods, results);
  await guard('crds', undefined, () => istioCrds(kube, o.istioNamespace, false, results));
  await guard('gateway-api', undefined, () => gatewayApiCrds(kube, results));
  await guard('webhooks', undefined, () => webhooksPatched(kube, revisions, results));
  await guard('webhook', undefined, () => blockingWebhooks(kube, results));
  await guard('revision-tag', undefined, () => revisionTags(kube, all, results));
  const served = await guard('injection', [], () => injectionNamespaces(kube, all, results));
  const live = revisions.filter((r) => istiods.some((d) => d.revision === r && d.available));
  await guard('dry-run-injection', undefined, () => dryRunInjection(kube, live, served, results));
  return { mode, results };
}

export function checkCommand(): Command {
  return new Command('check')
    .description('Check a cluster before an Istio install (--pre) or the control plane after it (--post); exit 1 on any error')
    .addOption(new Option('--pre', 'pre-install checks (default when no istiod is found)').conflicts('post'))
    .addOption(new Option('--post', 'post-install checks (default when an istiod is found)'))
    .option('-r, --revision <revision>', 'post-install: check only this revision (revision tags and namespaces are checked against all)')
    .option('-i, --istio-namespace <namespace>', 'the namespace Istio is installed in', 'istio-system')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as Options & KubeOptions;
      if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`-o ${o.output}: expected text or json`);
      const { mode, results } = await runChecks(connect(o), o);
      process.stdout.write(o.output === 'json' ? formatJson(mode, results) : formatText(mode, results));
      const errors = results.filter((r) => r.severity === 'error').length;
      if (errors) throw new CommandFailed(`${errors} error${errors === 1 ? '' : 's'} found`, true);
    });
}
