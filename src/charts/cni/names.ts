/**
 * What every cni template shares: the fixed object names (the CNI plugin falls back on the
 * DaemonSet's name, so they do not follow the release name, as upstream's), the labels, the
 * resource scope conditions and the values prelude.
 */
import { Construct } from 'constructs';
import { TemplateFile, TemplateFileOptions, include, spread } from '../../helm';
import { inScope } from '../../values/global';
import { V } from '../../values/cni';

/** The name of the ServiceAccount, the ConfigMap prefix and the main ClusterRole. */
export const CNI_NAME = 'istio-cni';
/** The DaemonSet, and the `k8s-app` label its pods are selected by. */
export const NODE_NAME = `${CNI_NAME}-node`;
export const CONFIG_MAP_NAME = `${CNI_NAME}-config`;

/** Namespaced objects are rendered (global.resourceScope all or namespace). */
export const namespaced = inScope(V.global.resourceScope, 'namespace');
/** Cluster-scoped objects are rendered (global.resourceScope all or cluster). */
export const clusterScoped = inScope(V.global.resourceScope, 'cluster');

/** release, revision, owner and component labels with the standard ones: what tools select the agent's objects by. */
export function ownerLabels(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, ...spread(include('cni.ownerLabels')) };
}

/** The labels of most objects: app=istio-cni and the owner labels. */
export const appLabels = (): Record<string, unknown> => ownerLabels({ app: CNI_NAME });

/** The standard labels alone (app.kubernetes.io/name and the chart's), for the objects upstream labels that way. */
export function standardLabels(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, 'app.kubernetes.io/name': CNI_NAME, ...spread(include('cni.labels')) };
}

/** Every cni template starts by computing the effective values (see templates/_values.ts). */
export const PRELUDE = ['{{- include "cni.values" . }}'];

/** A template file of the cni chart: it starts by computing the effective values (PRELUDE). */
export class CniTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}
