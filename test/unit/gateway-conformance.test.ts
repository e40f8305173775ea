/**
 * The conformance run's configuration and judgement, without a cluster: Istio's settings read
 * from the pinned module, the image check that keeps simulated backends out, the suite's flags,
 * and the verdict's rules (unlisted failures, stale known differences, a report that disagrees
 * with the per-test results, counts against Istio's published report).
 */
import { featureName, istioConformanceConfig } from '../conformance/istio-configuration';
import { ConformanceResult, ISTIO_PUBLISHED, TIMEOUT_OVERRIDES, suiteArgs, suiteImages, testResults, unrunnableImages } from '../conformance/suite';
import { judge, knownDifferences } from '../conformance/verdict';

const config = istioConformanceConfig();

test("Istio's configuration comes from the pinned module: its four skipped tests and four exempt features", () => {
  expect(Object.keys(config.skipTests).sort()).toEqual(['GatewayListenerUnsupportedProtocol', 'HTTPRouteHTTPSListenerDetectMisdirectedRequests', 'MeshHTTPRoute307Redirect', 'TCPRouteWeightedRouting']);
  expect([...config.exemptFeatures].sort()).toEqual(['GatewayBackendClientCertificate', 'GatewayHTTPSListenerDetectMisdirectedRequests', 'MeshClusterIPMatching', 'UDPRoute']);
  expect(config.namespaceLabels).toEqual({ 'istio-injection': 'enabled' });
});

test('a feature variable the gateway-api module lacks is an error naming it', () => {
  expect(featureName('UDPRouteFeature')).toBe('UDPRoute');
  expect(() => featureName('NoSuchThingFeature')).toThrow(/no feature variable NoSuchThingFeature/);
});

test("every image the suite deploys runs for real on the node (coredns, for the exempt UDPRoute tests, aside)", () => {
  const images = suiteImages();
  expect(images).toEqual(expect.arrayContaining(['registry.k8s.io/gateway-api/echo-basic:v1.5.1', 'registry.k8s.io/gateway-api/echo-advanced:v1.5.1']));
  expect(unrunnableImages(images)).toEqual([]);
  // an image without a stand-in is named, so the run stops before a simulated backend passes for a real one
  expect(unrunnableImages([...images, 'registry.k8s.io/gateway-api/echo-extra:v1'])).toEqual(['registry.k8s.io/gateway-api/echo-extra:v1']);
});

test("the suite's flags carry Istio's configuration and the timeouts raised with a reason", () => {
  const args = suiteArgs(config, { profiles: ['GATEWAY-HTTP'], coreOnly: true, outDir: '/tmp/x' }, '/tmp/x/report.yaml');
  expect(args).toEqual(expect.arrayContaining(['--gateway-class=istio', '--conformance-profiles=GATEWAY-HTTP', '--namespace-labels=istio-injection=enabled', '--report-output=/tmp/x/report.yaml']));
  expect(args).not.toContain('--all-features');
  expect(args.find((a) => a.startsWith('--skip-tests='))).toContain('TCPRouteWeightedRouting');
  expect(suiteArgs(config, { profiles: config.profiles, outDir: '/tmp/x' }, 'r')).toContain('--all-features');
  for (const [name, t] of Object.entries(TIMEOUT_OVERRIDES)) expect([name, t.why.length > 20]).toEqual([name, true]);
});

test('known-differences.yaml parses, and each entry names a test and its cause', () => {
  for (const d of knownDifferences()) expect(d.test && d.cause).toBeTruthy();
});

describe('the verdict', () => {
  const event = (Action: string, Test: string, Output?: string) => JSON.stringify({ Action, Test, Output, Elapsed: 1 });
  const run = (outcomes: Record<string, 'pass' | 'fail'>, core: { passed: number; failed: string[]; skipped: string[] }): ConformanceResult => ({
    config,
    tests: testResults(Object.entries(outcomes).flatMap(([t, o]) => [event('output', `TestConformance/${t}`, 'expected 200, got 503\n'), event(o, `TestConformance/${t}/sub`), event(o, `TestConformance/${t}`)]).join('\n')),
    profiles: [{ name: 'GATEWAY-HTTP', core: { passed: core.passed, failed: core.failed.length, skipped: core.skipped.length, failedTests: core.failed, skippedTests: core.skipped } }],
    reportPath: 'r',
    exitCode: Object.values(outcomes).includes('fail') ? 1 : 0,
    seconds: 1,
    peakMemoryMiB: 1,
  });
  const published = ISTIO_PUBLISHED['GATEWAY-HTTP'].core;

  test("Istio's published count less the pinned skips, nothing failed: no problems", () => {
    expect(judge(run({ A: 'pass' }, { passed: published - 1, failed: [], skipped: ['GatewayListenerUnsupportedProtocol'] }), { coreOnly: true, known: [] }).problems).toEqual([]);
  });

  test('an unlisted failure is a problem, with its reason', () => {
    const v = judge(run({ A: 'fail' }, { passed: published - 2, failed: ['A'], skipped: ['GatewayListenerUnsupportedProtocol'] }), { coreOnly: true, known: [] });
    expect(v.problems.join('\n')).toMatch(/A failed:\nexpected 200, got 503/);
  });

  test('a listed failure is accepted, and a listed test that passes is a stale entry', () => {
    const known = [{ test: 'A', cause: 'why' }];
    expect(judge(run({ A: 'fail' }, { passed: published - 2, failed: ['A'], skipped: ['GatewayListenerUnsupportedProtocol'] }), { coreOnly: true, known }).problems).toEqual([]);
    expect(judge(run({ A: 'pass' }, { passed: published - 1, failed: [], skipped: ['GatewayListenerUnsupportedProtocol'] }), { coreOnly: true, known }).problems).toEqual(['A is listed in known-differences.yaml but no longer fails: remove the entry']);
  });

  test('in a complete run, a listed test the suite does not have is a stale entry; a partial run does not judge it', () => {
    const known = [{ test: 'NoSuchTest', cause: 'why' }];
    const r = run({ A: 'pass' }, { passed: published - 1, failed: [], skipped: ['GatewayListenerUnsupportedProtocol'] });
    expect(judge(r, { coreOnly: true, complete: true, known }).problems).toEqual(['NoSuchTest is listed in known-differences.yaml but the whole suite has no such test: remove the entry']);
    expect(judge(r, { coreOnly: true, known }).problems).toEqual([]);
  });

  test('a report that counts a failed test as passed (the v1.6.0 report bug) is a problem', () => {
    const v = judge(run({ A: 'fail' }, { passed: published - 1, failed: [], skipped: ['GatewayListenerUnsupportedProtocol'] }), { coreOnly: true, known: [{ test: 'A', cause: 'why' }] });
    expect(v.problems).toContain("A failed, but the report lists it in no profile's failures");
  });

  test('fewer passed than Istio, or a skip outside the pinned list, is a problem', () => {
    const v = judge(run({ A: 'pass' }, { passed: published - 3, failed: [], skipped: ['HTTPRouteSomethingElse'] }), { coreOnly: true, known: [] });
    expect(v.problems).toEqual([
      'GATEWAY-HTTP core skipped tests outside the pinned skip list: HTTPRouteSomethingElse',
      `GATEWAY-HTTP core: ${published - 3} passed + 1 skipped (pinned skip list) + 0 known differences, but Istio's report passes ${published}`,
    ]);
  });
});
