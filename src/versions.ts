/**
 * The one pinned Istio release, and the module versions that stand for it.
 *
 * The Go proxy serves `istio.io/api` at the release tag but `istio.io/istio` only as
 * pseudo-versions; the newest one on the 1.31 line (it carries the 1.30 compatibility
 * profile and requires istio.io/api v1.31.0-rc) is what our tests build istiod from.
 */
export const ISTIO_VERSION = '1.31.4';

/** Where the CRDs come from (taken verbatim as data). */
export const ISTIO_API_MODULE = { path: 'istio.io/api', version: 'v1.31.4' } as const;

/** The istiod and istioctl sources, and upstream's charts for differential tests. */
export const ISTIO_MODULE = { path: 'istio.io/istio', version: 'v0.0.0-20260827124520-eed52ebb66ad' } as const;

/** Official images. */
export const ISTIO_HUB = 'docker.io/istio';

/** Helm v3 built from the Go proxy; helm v4 comes from an npm package (see src/tools/helm.ts). */
export const HELM_V3_VERSION = 'v3.22.0';

/**
 * The Kubernetes range of the pinned release: 1.32 is its floor (istioctl's MinK8SVersion;
 * every chart's Chart.yaml kubeVersion, the README and `istio-charts check` state it), 1.36 the
 * newest minor its line is tested with.
 */
export const KUBERNETES_MIN_MINOR = 32;
export const KUBERNETES_MAX_TESTED_MINOR = 36;

/**
 * How many times our charts of ISTIO_VERSION were fixed and republished: 0 for the first charts
 * of a release. Bump it (and run `npm run synth`) to publish a fix; reset it to 0 with a new
 * ISTIO_VERSION. See chartVersion.
 */
export const CHARTS_FIX = 0;

/**
 * The charts' SemVer version. The first charts of Istio X.Y.Z are `X.Y.Z`, so `--version X.Y.Z`
 * asks for an Istio release by its number. Fix n is `X.Y.(Z+1)-0.fix.n`: SemVer has no release
 * version between X.Y.Z and X.Y.(Z+1), and build metadata (`X.Y.Z+n`) does not order, so the
 * fix is a prerelease of the next patch, which sorts above X.Y.Z and below every X.Y.(Z+1)
 * (even its -alpha/-rc). README "Chart versions" has the trade-off: ranges without a
 * prerelease part skip fixes.
 */
export function chartVersion(istio: string = ISTIO_VERSION, fix: number = CHARTS_FIX): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(istio);
  if (!m) throw new Error(`Istio version "${istio}" is not MAJOR.MINOR.PATCH`);
  if (!Number.isInteger(fix) || fix < 0) throw new Error(`chart fix number ${fix} is not a non-negative integer`);
  return fix === 0 ? istio : `${m[1]}.${m[2]}.${Number(m[3]) + 1}-0.fix.${fix}`;
}
