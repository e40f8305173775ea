/**
 * What every gateway template shares: the gateway name, the service account name, the labels
 * objects and pods carry (selector labels derived from the release name, as upstream's, so a
 * release can adopt the objects of an upstream install), and the values prelude.
 */
import { Construct } from 'constructs';
import { TemplateFile, TemplateFileOptions, eq, include, includeValue, ne, spread, ternary } from '../../helm';
import { V } from '../../values/gateway';

/** `name`, else the release name, else istio-ingressgateway: every object's name. */
export const gatewayName = includeValue('gateway.name');

/** The NetworkPolicy: the gateway's name, with `-<revision>` for a revision's gateway. */
export const networkPolicyName = ternary(`${gatewayName}-${V.revision}`, gatewayName, ne(V.revision, ''));

/** The ServiceAccount the pods run as (also the Role and RoleBinding name). */
export const serviceAccountName = includeValue('gateway.serviceAccountName');

/** app and istio: what the Deployment, Service, PDB and NetworkPolicy select on. */
export const selectorLabels = (): Record<string, unknown> => spread(include('gateway.selectorLabels'));

/** The user's `labels`, minus app and istio (which only override the selector labels). */
export const userLabels = (): Record<string, unknown> => spread(include('gateway.userLabels'));

/** The workload is a Deployment (not a DaemonSet): it has replicas and may be autoscaled. */
export const isDeployment = eq(V.kind, 'Deployment');

/** Labels of every object the chart renders (the pod template's too), with `extra` after them. */
export function objectLabels(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...spread(include('gateway.objectLabels')), ...extra };
}

/**
 * Every gateway template starts by normalising the values: `global.*` lifted onto the chart's
 * keys (see templates/_values.ts). Idempotent, so the order Helm runs templates in does not matter.
 */
export const PRELUDE = ['{{- include "gateway.values" . }}'];

/** A template file of the gateway chart: it starts by computing the effective values (PRELUDE). */
export class GatewayTemplate extends TemplateFile {
  constructor(scope: Construct, fileName: string, options: TemplateFileOptions = {}) {
    super(scope, fileName, { prelude: PRELUDE, ...options });
  }
}
