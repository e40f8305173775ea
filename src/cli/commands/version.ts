/**
 * `istio-charts version [-o text|json]`: this client (package, charts, the Istio release they
 * install) and, when a cluster answers within a few seconds, the control planes there: istiod
 * Deployments (namespace, revision, image tag) and Helm releases of our charts. An unreachable
 * cluster is reported, not an error.
 */
import { Command } from 'commander';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ISTIO_VERSION } from '../../versions';
import { OUR_CHARTS } from '../check/checks';
import { UsageError } from '../errors';
import { KubeOptions, connect, rawMessage, request } from '../kube';
import { table } from '../output';
import { availableCharts, chartDir, packageVersion } from '../paths';
import { HelmRelease, Istiod, helmReleases, istiodDeployments } from '../state';

const CLUSTER_TIMEOUT_MS = 3_000;

interface ClusterInfo {
  readonly server: string;
  readonly reachable: boolean;
  readonly error?: string;
  readonly kubernetes?: string;
  readonly istiod?: Array<Pick<Istiod, 'namespace' | 'name' | 'revision' | 'tag' | 'available'>>;
  readonly releases?: Array<Pick<HelmRelease, 'namespace' | 'name' | 'chart' | 'chartVersion' | 'revision'>>;
}

async function clusterInfo(o: KubeOptions): Promise<ClusterInfo> {
  let kube;
  try {
    kube = connect(o);
  } catch (e) {
    // a --kubeconfig or --context that does not exist is the user's mistake, not an absent cluster
    if (e instanceof UsageError) throw e;
    return { server: '(none)', reachable: false, error: (e as Error).message };
  }
  const server = kube.config.getCurrentCluster()?.server ?? '(none)';
  try {
    const v = await request(kube, 'GET', '/version', { timeoutMs: CLUSTER_TIMEOUT_MS });
    if (v.status !== 200) return { server, reachable: false, error: rawMessage(v) };
    const istiod = (await istiodDeployments(kube, CLUSTER_TIMEOUT_MS)).map(({ namespace, name, revision, tag, available }) => ({ namespace, name, revision, tag, available }));
    const releases = (await helmReleases(kube, OUR_CHARTS, CLUSTER_TIMEOUT_MS)).map(({ namespace, name, chart, chartVersion, revision }) => ({ namespace, name, chart, chartVersion, revision }));
    return { server, reachable: true, kubernetes: v.body.gitVersion, istiod, releases };
  } catch (e) {
    return { server, reachable: false, error: (e as Error).message };
  }
}

function clientInfo() {
  const charts: Record<string, string> = {};
  for (const c of availableCharts()) charts[c] = (YAML.parse(readFileSync(join(chartDir(c), 'Chart.yaml'), 'utf8')) as { version: string }).version;
  return { istioCharts: packageVersion(), istio: ISTIO_VERSION, charts };
}

export function versionCommand(): Command {
  return new Command('version')
    .description('The client\'s versions, and the Istio control planes in the cluster when it answers')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--client', 'the client only; do not contact the cluster')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as { output: string; client?: boolean } & KubeOptions;
      if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`-o ${o.output}: expected text or json`);
      const client = clientInfo();
      const cluster = o.client ? undefined : await clusterInfo(o);
      if (o.output === 'json') {
        process.stdout.write(JSON.stringify({ client, ...(cluster ? { cluster } : {}) }, null, 2) + '\n');
        return;
      }
      const out = [
        `client: istio-charts ${client.istioCharts}, Istio ${client.istio}`,
        `charts: ${Object.entries(client.charts).map(([c, v]) => `${c} ${v}`).join(', ')}`,
      ];
      if (cluster && !cluster.reachable) out.push(`cluster: ${cluster.server} not reachable (${cluster.error})`);
      if (cluster?.reachable) {
        out.push(`cluster: ${cluster.server}, Kubernetes ${cluster.kubernetes}`);
        if (cluster.istiod!.length) {
          out.push('control planes:');
          out.push(table(['NAMESPACE', 'REVISION', 'DEPLOYMENT', 'VERSION', 'AVAILABLE'], cluster.istiod!.map((d) => [d.namespace, d.revision, d.name, d.tag || '?', d.available ? 'yes' : 'no'])).trimEnd().replace(/^/gm, '  '));
        } else out.push('control planes: none (no istiod Deployment)');
        if (cluster.releases!.length) {
          out.push('helm releases:');
          out.push(table(['NAMESPACE', 'RELEASE', 'CHART', 'VERSION', 'REVISION'], cluster.releases!.map((r) => [r.namespace, r.name, r.chart, r.chartVersion, String(r.revision)])).trimEnd().replace(/^/gm, '  '));
        }
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
