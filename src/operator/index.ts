/**
 * IstioOperator and `--set` to per-chart releases, for `istio-charts install` and
 * `istio-charts manifest generate`:
 * - planInstall: -f files and --set flags (istioctl's syntax and precedence) to releases of our
 *   charts, each with values and post-render overlays; bad input is an InputError naming the path;
 * - renderPlan: helm template of each release, overlays applied, in install order;
 * - postRender: overlays applied to objects (pure), also run by helm as a post-renderer plugin
 *   (helmPostRendererArgs);
 * - manifestYaml: objects as one YAML stream; convertOperator: values per release.
 */
export { InputError } from './errors';
export type { Overlay, KubeObject, PathPatch } from './overlays';
export { OverlayError, postRender, parseOverlayPath, strategicMerge } from './overlays';
export type { InstallInputs, InstallPlan, Release } from './plan';
export { planInstall } from './plan';
export { renderPlan, manifestYaml, convertOperator, sortLikeIstioctl, parseManifest } from './render';
export { helmPostRendererArgs, POST_RENDERER_PLUGIN } from './helm-plugin';
export { parseSetFlag, splitSetPath, parseSetValue } from './set-flags';
