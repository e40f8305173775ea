/**
 * What every ztunnel template shares: the name of its objects (also the ServiceAccount istiod
 * trusts for node certificate requests), their labels and annotations, the scope conditions,
 * and the values prelude.
 */
import { Construct } from 'constructs';
import { TemplateFile, TemplateFileOptions, include, includeValue } from '../../helm';
import { inScope } from '../../values/global';
import { V } from '../../values/ztunnel';

/** resourceName, else ztunnel: the name of every object (the NetworkPolicy adds the revision). */
export const ztunnelName = includeValue('ztunnel.name');

/** Labels of the DaemonSet, ServiceAccount and ResourceQuota: the chart's, then the user's `labels`. */
export const objectLabels = (): Record<string, unknown> => include('ztunnel.objectLabels');

/** Annotations of the DaemonSet, ServiceAccount and RBAC: the user's, with istio.io/rev for a revision. */
export const objectAnnotations = (): Record<string, unknown> => include('ztunnel.annotations');

/** The namespaced objects (DaemonSet, ServiceAccount, ResourceQuota, NetworkPolicy) under resourceScope. */
export const namespacedInScope = inScope(V.resourceScope, 'namespace');
/** The cluster-scoped objects (the OpenShift ClusterRole and binding) under resourceScope. */
export const clusterInScope = inScope(V.resourceScope, 'cluster');

/**
 * Every ztunnel template starts by computing the effective values (`global.*` lifted onto the
 * chart's keys, then the profile; see templates/_values.ts). Idempotent, so the order Helm
 * runs templates in does not matter.
 */
export const PRELUDE = ['{{- include "ztunnel.values" . }}'];

/** A template file of the ztunnel chart: it starts with PRELUDE. */
export class ZtunnelTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}
