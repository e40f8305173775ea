/**
 * Every command the README shows is run by a test: the blocks test/cluster/readme.test.ts runs
 * as written, and for each other command the test that runs it, with a line of that test that
 * shows it and how its invocation differs. A command added to the README without a test, or an
 * entry whose command left the README or whose line left its test, fails here.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { README_BLOCKS_RUN, readmeBlocks } from '../support/readme';

const ROOT = join(__dirname, '..', '..');

/** [command as the README shows it, file that runs it, a line of that file that runs it, how it differs] */
const RUN_BY: Array<[string, string, string, string]> = [
  ['npm ci && npm start -- --once', 'test/cluster/start.test.ts', "npmStart('--once')", 'the start script itself (ts-node src/cli/start.ts), after npm ci of the checkout'],
  ['npm ci && npm test', '.ci/run', 'npm test', 'CI runs it on a clean clone'],
  ['kubectl logs -n sample deploy/httpbin -c istio-proxy', 'src/cli/start.ts', "'logs', '-n', 'sample', 'deploy/httpbin', '-c', 'istio-proxy'", 'npm start runs it (with --tail=2); start.test.ts checks its output'],
  ['kubectl exec -n sample deploy/sleep -c sleep -- curl -s http://httpbin.sample:8000/get', 'src/cli/start.ts', "'exec', '-n', 'sample', 'deploy/sleep', '-c', 'sleep', '--', 'curl'", 'npm start runs it (curl -sS, printing the status); start.test.ts checks it'],
  ['istioctl proxy-config endpoints <sleep pod>.sample', 'src/cli/start.ts', "'proxy-config', 'endpoints', `${sleepPod}.sample`", 'npm start runs it (with --cluster); start.test.ts checks it'],
  ['helm show values oci://<registry>/istio-charts/istiod --version 1.31.4', 'test/cluster/release.test.ts', "['show', 'values', `${oci()}/istiod`, '--version', version", 'a registry on loopback: --plain-http'],
  ['helm install istio-base oci://<registry>/istio-charts/base   --version 1.31.4 -n istio-system --create-namespace --verify --keyring pubring.gpg', 'test/cluster/release.test.ts', "['install', 'istio-base', `${oci()}/base`, '--version', version", '--plain-http'],
  ['helm install istiod     oci://<registry>/istio-charts/istiod --version 1.31.4 -n istio-system -f my-config-values.yaml --verify --keyring pubring.gpg', 'test/cluster/release.test.ts', "['install', 'istiod', `${oci()}/istiod`, '--version', version", '--plain-http; the local node\'s values file'],
  ['helm repo add istio-charts <charts-url>', 'test/cluster/release.test.ts', "['repo', 'add', 'istio-charts', `http://${repository.address}`]", 'dist/ served on loopback'],
  ['helm search repo istio-charts/', 'test/cluster/release.test.ts', "['search', 'repo', 'istio-charts/', '-o', 'json']", '-o json, to read it'],
  ['helm install istiod istio-charts/istiod --version 1.31.4 -n istio-system --verify --keyring pubring.gpg', 'test/cluster/release.test.ts', "['install', 'istiod', 'istio-charts/istiod', '--verify', '--keyring', packaged.publicKeyring", 'the only version in the repository, so no --version'],
  ['npx istio-charts profile list', 'test/unit/cli-profiles.test.ts', "cli(['profile', 'list'])", ''],
  ['npx istio-charts profile dump demo --chart istiod', 'test/unit/cli-profiles.test.ts', "'profile', 'dump', 'demo', '--chart', 'istiod'", '-o json, to read it'],
  ['npx istio-charts profile diff default demo', 'test/unit/cli-profiles.test.ts', "cli(['profile', 'diff', 'default', 'demo'])", ''],
  ['npx istio-charts manifest generate --set profile=demo', 'test/unit/cli-profiles.test.ts', "cli(['manifest', 'generate', '--set', 'profile=demo'])", ''],
  ['npx istio-charts diff -f my-operator-resource.yaml', 'test/cluster/cli.test.ts', "run(['diff', '--set', 'profile=demo', ...LOCAL])", 'the local node\'s IstioOperator file'],
  ['npx istio-charts install --set profile=demo', 'test/cluster/cli.test.ts', "run(['install', '--set', 'profile=demo', ...LOCAL, '-y', '--timeout', '6m'])", 'the local node\'s IstioOperator file; -y'],
  ['npx istio-charts install --set profile=ambient --set components.cni.namespace=kube-system --set components.ztunnel.namespace=kube-system', 'test/cluster/ambient.test.ts', "'--set', `components.cni.namespace=${NODE_AGENTS}`, '--set', `components.ztunnel.namespace=${NODE_AGENTS}`", '-y'],
  ['npx istio-charts operator convert my-operator-resource.yaml', 'test/unit/cli-profiles.test.ts', "cli(['operator', 'convert', operatorFile])", ''],
  ['npx istio-charts uninstall --revision canary', 'test/cluster/cli.test.ts', "run(['uninstall', '--revision', 'canary', '-y'])", '-y'],
  ['npx istio-charts check --pre', 'test/cluster/cli-checks.test.ts', "cli(['check', '--pre'])", ''],
  ['npx istio-charts check', 'test/cluster/cli-checks.test.ts', "cli(['check'])", ''],
  ['npx istio-charts kube-inject -f app.yaml', 'test/cluster/cli-checks.test.ts', "cli(['kube-inject', '-f', file('app.yaml', MANIFEST)])", ''],
  ['npx istio-charts kube-inject -f app.yaml --offline --values my-config-values.yaml', 'test/cluster/cli-checks.test.ts', "'kube-inject', '--offline', '-f', '-', '--values', UPSTREAM_ENVOY_VALUES", 'the app on stdin; the local node\'s values file'],
  ['npx istio-charts version', 'test/cluster/cli-checks.test.ts', "cli(['version'])", ''],
  ['npm run conformance', 'test/conformance/gateway-http-core.test.ts', "runConformance({ profiles: ['GATEWAY-HTTP'], coreOnly: true", 'the script\'s function, GATEWAY-HTTP core only; the full run is the script\'s own'],
  ['npm run package', 'test/release/package.test.ts', 'packageCharts({ out })', "the script's function, into a temporary directory"],
  ['helm push dist/istiod-1.31.4.tgz oci://<registry>/istio-charts', 'test/cluster/release.test.ts', "['push', chart.tgz, oci(), '--plain-http']", 'every packaged chart, to a registry on loopback'],
];

const blocks = readmeBlocks();
const runAsWritten = new Set(blocks.filter((b) => README_BLOCKS_RUN.some((first) => b[0]?.startsWith(first))).flat());
const shown = [...new Set(blocks.flat())];

test('every README command is run by a test: its block by the README test, or a ledger entry', () => {
  const uncovered = shown.filter((cmd) => !runAsWritten.has(cmd) && !RUN_BY.some(([c]) => c === cmd));
  expect(uncovered).toEqual([]);
});

test('the README test finds each block it runs', () => {
  for (const first of README_BLOCKS_RUN) expect([first, blocks.filter((b) => b[0]?.startsWith(first)).length]).toEqual([first, 1]);
});

test.each(RUN_BY)('%s: still in the README, and run by %s', (cmd, file, line) => {
  expect(shown).toContain(cmd);
  expect(runAsWritten.has(cmd)).toBe(false);
  expect(existsSync(join(ROOT, file))).toBe(true);
  expect(readFileSync(join(ROOT, file), 'utf8')).toContain(line);
});
