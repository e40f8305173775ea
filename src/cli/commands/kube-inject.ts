/**
 * `istio-charts kube-inject -f <manifest|->`: the sidecar added to every workload of a
 * manifest as the cluster's istiod would add it at pod creation (`--offline`: as the istiod
 * chart rendered with your values would), for clusters or pipelines where the webhook is not
 * wanted. Deployments, Pods, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers,
 * Jobs and CronJobs are injected; anything else passes through; the stream keeps its order.
 */
import { Command, Option } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { UsageError } from '../errors';
import { InjectBackend, injectManifest } from '../inject/manifest';
import { offlineBackend, renderInjectorInputs } from '../inject/offline';
import { findInjector, onlineBackend } from '../inject/online';
import { KubeOptions, connect } from '../kube';

interface Options {
  filename: string;
  output?: string;
  revision?: string;
  namespace?: string;
  istioNamespace: string;
  offline?: boolean;
  values: string[];
  set: string[];
  nativeSidecar?: boolean;
}

const collect = (v: string, all: string[]) => [...all, v];

function readInput(file: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  if (!existsSync(file)) throw new UsageError(`-f ${file}: no such file`);
  return readFileSync(file, 'utf8');
}

export function kubeInjectCommand(): Command {
  return new Command('kube-inject')
    .description('Inject the Istio sidecar into the workloads of a manifest, as istiod would at pod creation')
    .requiredOption('-f, --filename <file>', 'manifest to inject (- for stdin)')
    .option('-o, --output <file>', 'write the result here instead of stdout')
    .option('-r, --revision <revision>', 'the control plane revision (or revision tag) to inject with', undefined)
    .option('-n, --namespace <namespace>', 'namespace of objects that name none (default: the kubeconfig context\'s, else default)')
    .option('-i, --istio-namespace <namespace>', 'where istiod runs (--offline: the namespace the chart is rendered for)', 'istio-system')
    .option('--offline', 'no cluster: render charts/istiod with --values/--set (or its defaults) and run istiod\'s injection code locally')
    .option('--values <file>', '--offline: a values file for the istiod chart (repeatable)', collect, [])
    .option('--set <key=value>', '--offline: a value for the istiod chart (repeatable)', collect, [])
    .addOption(new Option('--native-sidecar', '--offline: inject native sidecars (istiod decides from the nodes\' versions, which offline cannot see; default: istiod\'s ENABLE_NATIVE_SIDECARS, else off)'))
    .addOption(new Option('--no-native-sidecar').hideHelp())
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as Options & KubeOptions;
      if (!o.offline && (o.values.length || o.set.length || o.nativeSidecar !== undefined)) {
        throw new UsageError('--values, --set and --native-sidecar apply to --offline only (online, istiod\'s own configuration is used)');
      }
      const text = readInput(o.filename);
      let backend: InjectBackend;
      let namespace = o.namespace;
      if (o.offline) {
        for (const f of o.values) if (!existsSync(f)) throw new UsageError(`--values ${f}: no such file`);
        const inputs = await renderInjectorInputs({ revision: o.revision, istioNamespace: o.istioNamespace, valuesFiles: o.values, set: o.set });
        backend = offlineBackend(inputs, o.nativeSidecar);
      } else {
        const kube = connect(o);
        namespace ??= kube.config.getContextObject(kube.config.getCurrentContext())?.namespace;
        const revision = o.revision ?? 'default';
        const endpoint = await findInjector(kube, revision);
        backend = onlineBackend(kube, endpoint, revision);
      }
      const result = await injectManifest(text, backend, { namespace: namespace ?? 'default' });
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      for (const s of result.skipped) process.stderr.write(`${s}: not injected (istiod skipped it: injection disabled for the pod, host network, or a namespace istiod ignores)\n`);
      if (o.output) writeFileSync(o.output, result.text);
      else process.stdout.write(result.text);
    });
}
