/** `global.*` keys every chart shares (the same meaning wherever they appear). */
import { exprOf, hole } from '../helm/expr';
import { field } from './model';

export const globalShared = {
  imagePullSecrets: field<string[]>([], 'Names of Secrets in the release namespace used to pull images (private registries).', {
    items: { type: 'string' },
  }),
  istioNamespace: field('istio-system', 'Namespace where istiod runs; webhooks and the reader ServiceAccount point there.'),
  resourceScope: field('all', 'Which objects to render: all, cluster (cluster-scoped only) or namespace (namespaced only),\nfor clusters where an administrator owns the cluster-scoped part.', {
    enum: ['all', 'cluster', 'namespace'],
  }),
};

/** Condition: objects of this scope are rendered under `global.resourceScope`. */
export function inScope(resourceScope: string, scope: 'cluster' | 'namespace'): boolean {
  return hole<boolean>(`has ${exprOf(resourceScope)} (list "all" "${scope}")`, 'raw');
}
