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
 * the README states it, and `istio-charts check` enforces it while the charts carry no
 * kubeVersion), 1.36 the newest minor its line is tested with.
 */
export const KUBERNETES_MIN_MINOR = 32;
export const KUBERNETES_MAX_TESTED_MINOR = 36;
