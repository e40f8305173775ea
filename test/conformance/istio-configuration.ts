/**
 * The Gateway API conformance suite configured as the pinned Istio's own integration test
 * configures it (tests/integration/pilot/gateway_conformance_test.go), read from that module's
 * sources rather than restated, so a new pin brings its own skip list and feature exemptions:
 * the skipped tests are the keys of its `skippedTests` map, the exempt features those deleted
 * from `features.AllFeatures` there and in pilot's supported_features.go.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { gatewayApiVersion } from '../../src/cluster/gateway-api';
import { moduleDir } from '../../src/tools/go';
import { ISTIO_MODULE, ISTIO_VERSION } from '../../src/versions';

export interface IstioConformanceConfig {
  readonly gatewayClass: string;
  readonly profiles: readonly string[];
  /** Feature names (as the suite's flags take them) Istio leaves out of `features.AllFeatures`. */
  readonly exemptFeatures: readonly string[];
  /** Tests the pinned Istio skips, with its reason for each. */
  readonly skipTests: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly usableAddress: string;
  readonly unusableAddress: string;
  /** The report's implementation fields. */
  readonly implementation: { organization: string; project: string; url: string; version: string; contact: string };
}

const CONFORMANCE_TEST = 'tests/integration/pilot/gateway_conformance_test.go';
const SUPPORTED_FEATURES = 'pilot/pkg/config/kube/gateway/supported_features.go';

function istioSource(file: string): string {
  return readFileSync(join(moduleDir(ISTIO_MODULE.path, ISTIO_MODULE.version), file), 'utf8');
}

/** `features.XFeature` identifiers in a Go text. */
function featureIdentifiers(text: string): string[] {
  return [...text.matchAll(/features\.(\w+Feature)\b/g)].map((m) => m[1]);
}

/** The name the suite's flags use for a `features.XFeature` variable of the gateway-api module. */
export function featureName(identifier: string, featuresDir = join(moduleDir('sigs.k8s.io/gateway-api', gatewayApiVersion()), 'pkg', 'features')): string {
  const sources = readdirSync(featuresDir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => readFileSync(join(featuresDir, f), 'utf8'))
    .join('\n');
  const constant = new RegExp(`\\b${identifier}\\s*=\\s*Feature\\{\\s*Name:\\s*(\\w+)`).exec(sources)?.[1];
  const name = constant && new RegExp(`\\b${constant}\\s*(?:FeatureName\\s*)?=\\s*"([^"]+)"`).exec(sources)?.[1];
  if (!name) throw new Error(`sigs.k8s.io/gateway-api ${gatewayApiVersion()} has no feature variable ${identifier} (named in ${ISTIO_MODULE.path}@${ISTIO_MODULE.version})`);
  return name;
}

/** The block of Go text from `start` to its closing line. */
function goBlock(text: string, start: RegExp, file: string): string {
  const m = start.exec(text);
  if (!m) throw new Error(`${ISTIO_MODULE.path}@${ISTIO_MODULE.version} ${file} has no ${start} (has the conformance test moved?)`);
  const rest = text.slice(m.index);
  return rest.slice(0, rest.search(/\n[})]/) + 2);
}

export function istioConformanceConfig(): IstioConformanceConfig {
  const test = istioSource(CONFORMANCE_TEST);
  const skipped = goBlock(test, /var skippedTests = map\[string\]string\{/, CONFORMANCE_TEST);
  const skipTests = Object.fromEntries([...skipped.matchAll(/^\s*"(\w+)":\s*"([^"]*)"/gm)].map((m) => [m[1], m[2]]));
  if (Object.keys(skipTests).length === 0) throw new Error(`${CONFORMANCE_TEST} skips no tests: its skippedTests map was not read`);
  const supported = goBlock(istioSource(SUPPORTED_FEATURES), /var skippedExtendedFeatures = \[\]features\.Feature\{/, SUPPORTED_FEATURES);
  // the test deletes more from pilot's SupportedFeatures in the statement that names it
  const deleted = goBlock(test, /supportedFeatures := gateway\.SupportedFeatures\.Clone\(\)/, CONFORMANCE_TEST).split('\n\t\t\tif')[0];
  const exemptFeatures = [...new Set([...featureIdentifiers(supported.replace(/\/\/.*$/gm, '')), ...featureIdentifiers(deleted.replace(/\/\/.*$/gm, ''))])].map((f) => featureName(f));
  if (!/GatewayClassName:\s+gatewayClassName/.test(test) || !/"istio-injection": "enabled"/.test(test)) {
    throw new Error(`${CONFORMANCE_TEST} no longer sets the gateway class and injection label as this configuration assumes`);
  }
  return {
    gatewayClass: 'istio',
    profiles: ['GATEWAY-HTTP', 'GATEWAY-TLS', 'GATEWAY-GRPC', 'GATEWAY-TCP', 'MESH-HTTP'],
    exemptFeatures,
    skipTests,
    namespaceLabels: { 'istio-injection': 'enabled' },
    usableAddress: 'infra-backend-v1.gateway-conformance-infra.svc.cluster.local',
    unusableAddress: 'foo',
    implementation: { organization: 'istio', project: 'istio', url: 'https://istio.io/', version: ISTIO_VERSION, contact: '@istio/maintainers' },
  };
}
