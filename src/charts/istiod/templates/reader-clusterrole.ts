/**
 * ClusterRole `istio-reader-clusterrole[-rev]-<ns>`: the read access another cluster's istiod
 * gets through a remote secret (`istioctl create-remote-secret` mints a token of the account
 * bound in reader-clusterrolebinding.ts). A remote cluster whose webhooks and root ConfigMaps
 * that istiod manages also grants it those writes.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { Release, and, comment, include, spread, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { RoleDefinition, ruleSet } from '../../common/rbac';
import { clusterScoped, IstiodTemplate, readerRoleName } from '../names';
import { ISTIO_API_GROUPS, mcsApiGroup } from './clusterrole';

const READ = ['get', 'list', 'watch'];

const READER_RULES = ruleSet(
  "What a primary's istiod reads to discover this cluster's workloads and config",
  [
  { apiGroups: ISTIO_API_GROUPS, resources: ['*'], verbs: READ },
  {
    apiGroups: [''],
    resources: ['endpoints', 'pods', 'services', 'nodes', 'replicationcontrollers', 'namespaces', 'secrets', 'configmaps'],
    verbs: READ,
  },
  { apiGroups: ['networking.istio.io'], verbs: ['get', 'watch', 'list'], resources: ['workloadentries'] },
  { apiGroups: ['networking.x-k8s.io', 'gateway.networking.k8s.io'], resources: ['gateways'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  comment("Multi-Cluster Services: the primary exports this cluster's services too", {
    apiGroups: [mcsApiGroup], resources: ['serviceexports'], verbs: ['get', 'list', 'watch', 'create', 'delete'],
  }),
  { apiGroups: [mcsApiGroup], resources: ['serviceimports'], verbs: READ },
  comment('pod owners, to name workloads after their Deployment', { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ }),
  comment('token and access checks for proxies of this cluster that connect to the primary', {
    apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'],
  }),
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  ],
);

const REMOTE_MANAGED_RULES = ruleSet(
  "On a remote cluster the primary's istiod also distributes the root certificate and patches the webhooks",
  [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'update'] },
  ],
);

const labels = { app: 'istio-reader', release: Release.name, 'app.kubernetes.io/name': 'istio-reader', ...spread(include('istiod.labels')) };

export const READER_ROLE = new RoleDefinition({
  kind: 'ClusterRole',
  metadata: { name: readerRoleName, labels },
  rules: [...READER_RULES, when(V.istiodRemote.enabled, REMOTE_MANAGED_RULES) as unknown as k8s.PolicyRule],
});

/** Reader RBAC exists on every cluster another istiod may read (global.enableReaderRBAC). */
export const readerRbacEnabled = and(clusterScoped, V.global.enableReaderRBAC);

export class ReaderClusterRole extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'reader-clusterrole', { condition: readerRbacEnabled });
    READER_ROLE.write(this, 'reader');
  }
}
