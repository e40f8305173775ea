/**
 * What every istiod template shares: object names with the revision suffix, the labels
 * istiod and tooling select on, and the conditions under which each group of objects exists.
 */
import { Construct } from 'constructs';
import {
  Release, TemplateFile, TemplateFileOptions, defineHelper, exprOf, hole, include, includeValue, local, not, or, spread, when, withDefault,
} from '../../helm';
import { inScope } from '../../values/global';
import { V } from '../../values/istiod';

/** `istiod` or `istiod-<revision>`: Deployment, Service, ServiceAccount, HPA, PDB. */
export const istiodName = includeValue('istiod.name');

/** `<base>` or `<base>-<revision>`, for ConfigMaps and webhook configurations. */
export const revisioned = (base: string): string => `${base}${includeValue('istiod.revisionSuffix')}`;

/** The revision as istiod sees it (its REVISION env and every istio.io/rev label). */
export const revisionOrDefault = local('revision', withDefault(V.revision, 'default'));

/** The labels every object istiod owns carries, as upstream sets them (tools select on them). */
const PILOT_LABELS = defineHelper(
  'istiod.pilotLabels',
  'Labels of the objects istiod owns: revision, owner and component, as upstream sets them.',
  {
    'istio.io/rev': withDefault(V.revision, 'default'),
    'install.operator.istio.io/owning-resource': withDefault(V.ownerName, 'unknown'),
    'operator.istio.io/component': 'Pilot',
    'app.kubernetes.io/name': 'istiod',
    ...spread(include('istiod.labels')),
  },
  { file: '_labels' },
);

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
export const revisionSelector = spread(
  defineHelper(
    'istiod.selectorLabels',
    "The label that tells this revision's istiod pods from other revisions': istio.io/rev, or istio=pilot for the default install.",
    when(V.revision, { 'istio.io/rev': V.revision }, { istio: 'pilot' }),
    { file: '_labels' },
  ),
);

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

/** A template file of the istiod chart: it starts by computing the effective values (PRELUDE). */
export class IstiodTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}

