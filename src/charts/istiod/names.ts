/**
 * What every istiod template shares: object names with the revision suffix, the labels
 * istiod and tooling select on, and the conditions under which each group of objects exists.
 */
import { Release, exprOf, hole, include, includeValue, not, or, spread, withDefault } from '../../helm';
import { inScope } from '../../values/global';
import { V } from '../../values/istiod';

/** `istiod` or `istiod-<revision>`: Deployment, Service, ServiceAccount, HPA, PDB. */
export const istiodName = includeValue('istiod.name');

/** `<base>` or `<base>-<revision>`, for ConfigMaps and webhook configurations. */
export const revisioned = (base: string): string => `${base}${includeValue('istiod.revisionSuffix')}`;

/** The revision as istiod sees it (its REVISION env and every istio.io/rev label). */
export const revisionOrDefault = withDefault(V.revision, 'default');

/** Labels of the objects istiod owns, as upstream sets them (tools select on them). */
export function pilotLabels(extra: Record<string, unknown> = {}, options: { release?: boolean } = {}): Record<string, unknown> {
  return {
    ...extra,
    'istio.io/rev': revisionOrDefault,
    'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
    'operator.istio.io/component': 'Pilot',
    // pod templates leave it out: it would roll every pod when a release is renamed
    ...(options.release === false ? {} : { release: Release.name }),
    'app.kubernetes.io/name': 'istiod',
    ...spread(include('istiod.labels')),
  };
}

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

/** Every istiod template starts by normalising the values (see helpers.ts). */
export const PRELUDE = ['{{- include "istiod.values" . }}'];

