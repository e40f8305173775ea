/**
 * Every good IstioOperator file of the corpus (test/operator/corpus/good) installed for real
 * with `istio-charts install -f`: the releases the plan names are deployed and reported
 * ready, then `uninstall --purge` removes them before the next file. The manifests are
 * compared with istioctl's in test/operator; this proves the same files run.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import { upstreamEnvoyOperatorFile } from '../../src/cluster/istiod';
import { planInstall } from '../../src/operator';
import { useControlPlane } from '../support/cluster';
import { cli } from '../support/cli';

const CORPUS = join(__dirname, '..', 'operator', 'corpus', 'good');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();

const c = useControlPlane(async ({ cp }) => {
  // the gateway-k8s file pins its gateway to edge nodes: make the local node one
  const r = cp.kubectl(['label', 'node', 'local-node', 'node-role.example.com/edge=true']);
  if (r.status !== 0) throw new Error(r.stderr);
});

const LOCAL = ['-f', upstreamEnvoyOperatorFile()];

test.each(files)('install -f %s: every release deployed and ready, then purged', async (file) => {
  const path = join(CORPUS, file);
  const plan = planInstall({ files: [upstreamEnvoyOperatorFile(), path], sets: [] });
  const r = await cli(['install', ...LOCAL, '-f', path, '-y', '--timeout', '4m'], { kubeconfig: c.cp.kubeconfig });
  if (r.status !== 0) throw new Error(`${file}: exit ${r.status}\n${r.stdout}\n${c.cluster.logTail()}\n${r.stderr}`);
  expect(r.stdout).toMatch(/Installation complete in [\d.]+ s/);
  console.log(`${file}: ${r.stdout.match(/Installation complete in [\d.]+ s/)![0]}`);
  const deployed = JSON.parse(c.cp.helm(['list', '-A', '-o', 'json'], 'v4').stdout) as Array<{ name: string; namespace: string; status: string }>;
  expect(deployed.map((d) => `${d.namespace}/${d.name}:${d.status}`).sort()).toEqual(plan.releases.map((x) => `${x.namespace}/${x.release}:deployed`).sort());
  const purge = await cli(['uninstall', '--purge', '-y'], { kubeconfig: c.cp.kubeconfig });
  if (purge.status !== 0) throw new Error(`purge after ${file}: exit ${purge.status}\n${purge.stdout}\n${purge.stderr}`);
  expect(JSON.parse(c.cp.helm(['list', '-A', '-o', 'json'], 'v4').stdout)).toEqual([]);
}, 600_000);
