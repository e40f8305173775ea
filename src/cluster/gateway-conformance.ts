/**
 * The Gateway API conformance suite and its echo-basic backend, built from the Go proxy.
 *
 * The suite is the `sigs.k8s.io/gateway-api/conformance` module's own test, compiled with
 * `go test -c` (the binary takes the suite's flags: gateway class, profiles, features, skips).
 * It is paired with the root module at the version istiod requires: the suite checks that
 * the installed CRDs' bundle version equals the root module's, and conformance v1.6.2 carries
 * the fix for a report that marked parallel tests passed before they ended
 * (kubernetes-sigs/gateway-api#5142, fixed by #5143) while requiring the root only through a
 * local replace that a consumer ignores, so the root stays at istiod's version.
 */
import { gatewayApiVersion } from './gateway-api';
import { goBuildPackages } from '../tools/go';

export const CONFORMANCE_MODULE = { path: 'sigs.k8s.io/gateway-api/conformance', version: 'v1.6.2' } as const;

export interface GatewayConformanceBinaries {
  /** The suite's test binary (TestConformance and its flags). */
  readonly suite: string;
  /** The backend of every gateway test (HTTP, h2c, WebSocket, TLS, gRPC, TCP). */
  readonly echoBasic: string;
}

export function gatewayConformanceBinaries(): GatewayConformanceBinaries {
  const [suite, echoBasic] = goBuildPackages({
    label: `the Gateway API conformance suite ${CONFORMANCE_MODULE.version} and echo-basic`,
    key: 'gateway-conformance',
    requires: [{ path: 'sigs.k8s.io/gateway-api', version: gatewayApiVersion() }, CONFORMANCE_MODULE],
    outputs: [
      { binary: 'conformance.test', package: CONFORMANCE_MODULE.path, test: true },
      { binary: 'echo-basic', package: `${CONFORMANCE_MODULE.path}/echo-basic` },
    ],
  });
  return { suite, echoBasic };
}
