/**
 * The part of `npm run conformance` that fits CI: the Gateway API suite's GATEWAY-HTTP core
 * tests, with Istio's configuration, against base and istiod from our charts on a fresh local
 * cluster. Every request goes through a gateway Deployment istiod made from our kube-gateway
 * template, to echo-basic backends with our sidecars.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConformanceResult, runConformance } from './suite';
import { judge } from './verdict';

jest.setTimeout(1_800_000);

let result: ConformanceResult;
beforeAll(async () => {
  result = await runConformance({ profiles: ['GATEWAY-HTTP'], coreOnly: true, outDir: mkdtempSync(join(tmpdir(), 'conformance-')) });
}, 1_800_000);

test("GATEWAY-HTTP core: Istio's published count less the pinned skips, nothing failed", () => {
  const verdict = judge(result, { coreOnly: true });
  expect(verdict.problems).toEqual([]);
  expect(verdict.table).toMatch(/GATEWAY-HTTP\s+36\/0\/1/);
});

test('the tests ran requests through the gateway, and the report agrees', () => {
  const simple = result.tests.find((t) => t.name === 'HTTPRouteSimpleSameNamespace');
  expect(simple?.outcome).toBe('pass');
  expect(simple?.output).toMatch(/Making GET request to .* via http:\/\/198\.51\.100\.\d+/);
  expect(result.exitCode).toBe(0);
});
