/**
 * IstioOperator and `--set` to per-chart releases, for `istio-charts install` and
 * `istio-charts manifest generate`:
 * - planInstall: -f files and --set flags (istioctl's syntax and precedence) to releases of our
 *   charts, each with values and post-render overlays; bad input is an InputError naming the path;
 * - validatePlan: every release's values against its chart's schema and rendered with its
 *   overlays, before anything is applied; bad values named as the user typed them (InvalidPlan);
 *   renderPlan: the same, as one list of objects in install order;
 * - postRender: overlays applied to objects (pure), also run by helm as a post-renderer plugin
 *   (helmPostRendererArgs);
 * - manifestYaml: objects as one YAML stream; convertOperator: values per release.
 */
export { InputError } from './errors';
export type { Overlay, KubeObject, PathPatch } from './overlays';
export { OverlayError, postRender, parseOverlayPath, strategicMerge } from './overlays';
export type { InstallInputs, InstallPlan, PlanInput, Release } from './plan';
export { planInstall } from './plan';
export { manifestYaml, convertOperator, sortLikeIstioctl, parseManifest } from './render';
export { InvalidPlan, renderPlan, validatePlan } from './validate';
export { helmPostRendererArgs, POST_RENDERER_PLUGIN } from './helm-plugin';
export { parseSetFlag, splitSetPath, parseSetValue } from './set-flags';
