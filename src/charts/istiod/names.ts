/**
 * What every istiod template shares: object names with the revision suffix, the labels
 * istiod and tooling select on, and the conditions under which each group of objects exists.
 */
import { Construct } from 'constructs';
import { Release, TemplateFile, TemplateFileOptions, exprOf, hole, includeValue, local, not, or, spread, withDefault } from '../../helm';
import { inScope } from '../../values/global';
import { PILOT_LABELS, REVISION_SELECTOR } from './templates/_labels';
import { V } from '../../values/istiod';

/** `istiod` or `istiod-<revision>`: Deployment, Service, ServiceAccount, HPA, PDB. */
export const istiodName = includeValue('istiod.name');

/** `<base>` or `<base>-<revision>`, for ConfigMaps and webhook configurations. */
export const revisioned = (base: string): string => `${base}${includeValue('istiod.revisionSuffix')}`;

// Object names: every object the chart renders is named here or by the helpers above.

/** ClusterRole and ClusterRoleBinding `istiod-clusterrole[-rev]-<ns>`: istiod's cluster-wide access. */
export const istiodClusterRoleName = `${revisioned('istiod-clusterrole')}-${Release.namespace}`;
/** ClusterRole and ClusterRoleBinding `istiod-gateway-controller[-rev]-<ns>`: the objects istiod creates for Gateways. */
export const gatewayControllerRoleName = `${revisioned('istiod-gateway-controller')}-${Release.namespace}`;
/** ClusterRole and ClusterRoleBinding `istio-reader-clusterrole[-rev]-<ns>`: what the reader account may read. */
export const readerRoleName = `${revisioned('istio-reader-clusterrole')}-${Release.namespace}`;
/** The base chart's reader ServiceAccount, bound to the reader role unless the user names their own. */
export { READER_SERVICE_ACCOUNT } from '../base/names';

/** ConfigMap `istio[-rev]`: the mesh config and mesh networks. */
export const meshConfigMapName = revisioned('istio');
/** ConfigMap `values[-rev]`: the effective values, for debugging. */
export const valuesConfigMapName = revisioned('values');
/** ConfigMap `istio-sidecar-injector[-rev]`: the injector's templates and values. */
export const injectorConfigMapName = revisioned('istio-sidecar-injector');
/** ConfigMap `pilot-jwks-extra-cacerts[-rev]`: extra roots istiod trusts when fetching JWKS. */
export const jwksConfigMapName = revisioned('pilot-jwks-extra-cacerts');
/** ConfigMap `istio-<rev>-gatewayclass-<class>`: per-GatewayClass defaults. */
export const gatewayClassConfigMapName = (className: string): string => `istio-${withDefault(V.revision, 'default')}-gatewayclass-${className}`;

/** MutatingWebhookConfiguration `istio-sidecar-injector[-rev]`, suffixed with the namespace outside istio-system. */
export const injectorWebhookName = `${revisioned('istio-sidecar-injector')}${includeValue('istiod.namespaceSuffix')}`;
/** ValidatingWebhookConfiguration `istio-validator[-rev]-<istioNamespace>`. */
export const validatorWebhookName = `${revisioned('istio-validator')}-${V.global.istioNamespace}`;
/** MutatingWebhookConfiguration `istio-revision-tag-<tag>[-<ns>]` of a revision tag. */
export const revisionTagWebhookName = (tag: string): string => `istio-revision-tag-${tag}${includeValue('istiod.namespaceSuffix')}`;
/** Service `istiod-revision-tag-<tag>` of a revision tag. */
export const revisionTagServiceName = (tag: string): string => `istiod-revision-tag-${tag}`;

/** `<base>[-rev]-<istioNamespace>.istio.io`: one policy per revision and control plane namespace. */
const policyName = (base: string) => `${base}${includeValue('istiod.revisionSuffix')}-${V.global.istioNamespace}.istio.io`;
/** The stable-channel ValidatingAdmissionPolicy of this revision, and its binding. */
export const stablePolicyName = policyName('stable-channel-policy');
export const stablePolicyBindingName = policyName('stable-channel-policy-binding');

/** Service (and EndpointSlice) of a remote istiod: `istiod[-rev]`, or `istiod[-rev]-remote` next to a local injector istiod (templates/_remote.ts). */
export const remoteIstiodName = includeValue('istiod.remoteName');

/** The revision as istiod sees it (its REVISION env and every istio.io/rev label). */
export const revisionOrDefault = local('revision', withDefault(V.revision, 'default'));

/** Labels of the objects istiod owns: `extra`, `release` (not on pod templates) and the shared ones. */
export function pilotLabels(extra: Record<string, unknown> = {}, options: { release?: boolean } = {}): Record<string, unknown> {
  return {
    ...extra,
    // pod templates leave it out: it would roll every pod when a release is renamed
    ...(options.release === false ? {} : { release: Release.name }),
    ...spread(PILOT_LABELS),
  };
}

/**
 * The label that tells this revision's istiod pods from others' (Services and PDB add app=istiod):
 * istio.io/rev, or istio=pilot for the default install.
 */
export const revisionSelector = spread(REVISION_SELECTOR);

/** An entry of `pilot.env` (absent entries are empty), for conditions and values. */
export const pilotEnv = (name: string): string => hole(`(${exprOf(V.pilot.env)}).${name}`);

/** Namespaced objects are rendered (global.resourceScope all or namespace). */
export const namespaced = inScope(V.global.resourceScope, 'namespace');
/** Cluster-scoped objects are rendered (global.resourceScope all or cluster). */
export const clusterScoped = inScope(V.global.resourceScope, 'cluster');

/** istiod itself runs in this cluster (not a remote cluster, or one with a local injector). */
export const runsIstiod = or(not(V.istiodRemote.enabled), V.istiodRemote.enabledLocalInjectorIstiod);

/** This cluster holds the mesh config (not remote, or remote but a config cluster or local injector). */
export const holdsConfig = or(not(V.istiodRemote.enabled), V.global.configCluster, V.istiodRemote.enabledLocalInjectorIstiod);

/** Every istiod template starts by normalising the values (see templates/_values.ts). */
export const PRELUDE = ['{{- include "istiod.values" . }}'];

/** A template file of the istiod chart: it starts by computing the effective values (PRELUDE). */
export class IstiodTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}

