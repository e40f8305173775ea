/**
 * What istiod may do across the cluster: the ClusterRole `istiod-clusterrole[-rev]-<ns>`
 * (discovery, config, certificates, webhooks) and the ClusterRole
 * `istiod-gateway-controller[-rev]-<ns>` (the objects istiod creates for Gateway API gateways
 * and waypoints). Both are bound to the istiod ServiceAccount (clusterrolebinding.ts), so they
 * exist wherever that account does (not on a plain remote cluster).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { Release, and, comment, eq, has, include, list, ne, not, or, rangeList, spread, toString, when, withDefault } from '../../../helm';
import { V } from '../../../values/istiod';
import { RoleDefinition, ruleSet } from '../../common/rbac';
import { clusterScoped, holdsConfig, istiodName, namespaced, pilotEnv, IstiodTemplate, istiodClusterRoleName, gatewayControllerRoleName } from '../names';

/** The Multi-Cluster Services API group; `pilot.env.MCS_API_GROUP` moves it, as istiod's own setting does. */
export const mcsApiGroup = withDefault(pilotEnv('MCS_API_GROUP'), 'multicluster.x-k8s.io');

/** The API groups of Istio's own configuration, current and retired. */
export const ISTIO_API_GROUPS = [
  'config.istio.io',
  'security.istio.io',
  'networking.istio.io',
  'authentication.istio.io',
  'rbac.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
];

const READ = ['get', 'list', 'watch'];
const READ_WRITE = ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete'];

/** Rules present only when a condition holds (spliced into the list). */
const rulesIf = (condition: unknown, rules: k8s.PolicyRule[]): k8s.PolicyRule => when(condition, rules) as unknown as k8s.PolicyRule;

const WEBHOOK_RULES = ruleSet(
  'istiod injects the CA bundle into the injector and validator webhooks and flips the validator to Fail once it serves',
  [
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'update'] },
  ],
);

const ISTIO_CONFIG_READ = ruleSet("istiod reads all Istio config, including retired groups: a narrower rule would break an older control plane running side by side with this one, which shares the role's scope", [{ apiGroups: ISTIO_API_GROUPS, verbs: ['get', 'watch', 'list'], resources: ['*'] }]);

const ANALYSIS_STATUS = ruleSet(
  'With config analysis on, istiod writes its findings into the status of the objects it analysed',
  [
  {
    apiGroups: ISTIO_API_GROUPS,
    verbs: ['update', 'patch'],
    resources: [
      'authorizationpolicies', 'destinationrules', 'envoyfilters', 'gateways', 'peerauthentications', 'proxyconfigs',
      'requestauthentications', 'serviceentries', 'sidecars', 'telemetries', 'virtualservices', 'wasmplugins',
      'workloadentries', 'workloadgroups',
    ].map((r) => `${r}/status`),
  },
  ],
);

const ISTIO_STATUS_WRITE = ruleSet(
  'istiod registers VMs (WorkloadEntry auto-registration) and reports status on ServiceEntries, AuthorizationPolicies and Services (e.g. ambient address allocation and waypoint binding)',
  [
  { apiGroups: ['networking.istio.io'], verbs: READ_WRITE, resources: ['workloadentries'] },
  { apiGroups: ['networking.istio.io'], verbs: READ_WRITE, resources: ['workloadentries/status', 'serviceentries/status'] },
  { apiGroups: ['security.istio.io'], verbs: READ_WRITE, resources: ['authorizationpolicies/status'] },
  { apiGroups: [''], verbs: READ_WRITE, resources: ['services/status'] },
  ],
);

const DISCOVERY_READ = ruleSet(
  'Service discovery: the workloads, endpoints and namespaces istiod turns into proxy config, and which CRDs exist',
  [
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: [''], resources: ['pods', 'nodes', 'services', 'namespaces', 'endpoints'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  ],
);

const NODE_UNTAINT = ruleSet('The untaint controller removes the istio-cni readiness taint from nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['patch'] }]);

const ANALYSIS_INGRESS = ruleSet(
  'Config analysis also looks at Ingresses served from the retired extensions group',
  [
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['*'] },
  ],
);

const INGRESS = ruleSet(
  'istiod implements the Kubernetes Ingress API and publishes the gateway address in its status',
  [
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['*'] },
  ],
);

const ROOT_CERT_CONFIGMAPS = ruleSet('The root certificate is written to a ConfigMap (istio-ca-root-cert) in every namespace', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'watch', 'update'] }]);

const CSR_SIGNING = ruleSet(
  'When Kubernetes (or an external CA) signs certificates, istiod files CertificateSigningRequests and approves them, but only for the signers listed in global.certSigners',
  [
  {
    apiGroups: ['certificates.k8s.io'],
    resources: ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status'],
    verbs: ['update', 'create', 'get', 'delete', 'watch'],
  },
  {
    apiGroups: ['certificates.k8s.io'],
    resources: ['signers'],
    resourceNames: [rangeList(V.global.certSigners, (signer) => signer)],
    verbs: ['approve'],
  },
  ],
);

const CLUSTER_TRUST_BUNDLES = ruleSet(
  'With ENABLE_CLUSTER_TRUST_BUNDLE_API istiod publishes its root as a ClusterTrustBundle for its own signer',
  [
  { apiGroups: ['certificates.k8s.io'], resources: ['clustertrustbundles'], verbs: ['update', 'create', 'delete', 'list', 'watch', 'get'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['istio.io/istiod-ca'], verbs: ['attest'] },
  ],
);

export const REVIEWS = ruleSet(
  'Proxies authenticate to the CA with service account tokens; gateways reading secrets over SDS are authorised by asking the apiserver',
  [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  ],
);

const GATEWAY_API = ruleSet(
  'istiod implements the Gateway API (and the inference extension): it reads every kind and writes their status',
  [
  { apiGroups: ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'], resources: ['*'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: ['gateway.networking.x-k8s.io'], resources: ['xbackendtrafficpolicies/status'], verbs: ['update', 'patch'] },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: [
      'backendtlspolicies', 'gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'referencegrants', 'tcproutes',
      'tlsroutes', 'udproutes', 'listenersets',
    ].map((r) => `${r}/status`),
    verbs: ['update', 'patch'],
  },
  comment('the built-in classes (istio, istio-waypoint, ...) are created by istiod itself', {
    apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses'], verbs: ['create', 'update', 'patch', 'delete'],
  }),
  { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools/status'], verbs: ['update', 'patch'] },
  ],
);

const SECRETS_READ = ruleSet('Kubeconfigs of remote clusters (multicluster) and TLS credentials of gateways live in Secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);

export const MCS = ruleSet(
  'Multi-Cluster Services: istiod manages ServiceExports and reads the resulting ServiceImports',
  [
  { apiGroups: [mcsApiGroup], resources: ['serviceexports'], verbs: ['get', 'watch', 'list', 'create', 'delete'] },
  { apiGroups: [mcsApiGroup], resources: ['serviceimports'], verbs: ['get', 'watch', 'list'] },
  ],
);

const GATEWAY_DEPLOYMENT_CONTROLLER = ruleSet(
  'The gateway and waypoint deployment controller creates these objects for every Gateway it manages',
  [
  { apiGroups: ['apps'], verbs: READ_WRITE, resources: ['deployments'] },
  { apiGroups: ['autoscaling'], verbs: READ_WRITE, resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], verbs: READ_WRITE, resources: ['poddisruptionbudgets'] },
  { apiGroups: [''], verbs: READ_WRITE, resources: ['services'] },
  { apiGroups: [''], verbs: READ_WRITE, resources: ['serviceaccounts'] },
  ],
);

/** Rules in the istio namespace only (role.ts). */
const NAMESPACE_RULES: k8s.PolicyRule[] = [
  comment('readiness probe of the validator: a dry-run create of an invalid Gateway must be rejected', {
    apiGroups: ['networking.istio.io'], verbs: ['create'], resources: ['gateways'],
  }),
  comment('the self-signed CA keeps its root key in the istio-ca-secret Secret', {
    apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'watch', 'list', 'update', 'delete'],
  }),
  comment('the status controller removes its distribution report ConfigMap', { apiGroups: [''], resources: ['configmaps'], verbs: ['delete'] }),
  comment("leader election of istiod's controllers", { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update', 'patch', 'create'] }),
];

/** Kubernetes or an external CA signs workload certificates (not istiod's own CA). */
const externalSigning = or(pilotEnv('EXTERNAL_CA'), not(has(V.global.pilotCertProvider, list('istiod', 'custom', 'none'))));

/** The full rule list of `istiod-clusterrole`, in upstream's order. */
export const ISTIOD_CLUSTER_RULES: k8s.PolicyRule[] = [
  ...WEBHOOK_RULES,
  ...ISTIO_CONFIG_READ,
  rulesIf(V.global.istiod.enableAnalysis, ANALYSIS_STATUS),
  ...ISTIO_STATUS_WRITE,
  ...DISCOVERY_READ,
  rulesIf(V.pilot.taint.enabled, NODE_UNTAINT),
  rulesIf(V.global.istiod.enableAnalysis, ANALYSIS_INGRESS),
  ...INGRESS,
  ...ROOT_CERT_CONFIGMAPS,
  rulesIf(externalSigning, CSR_SIGNING),
  rulesIf(eq(pilotEnv('ENABLE_CLUSTER_TRUST_BUNDLE_API'), true), CLUSTER_TRUST_BUNDLES),
  ...REVIEWS,
  ...GATEWAY_API,
  ...SECRETS_READ,
  ...MCS,
];

/** The deployment controller runs unless pilot.env turns it off. */
export const gatewayControllerEnabled = ne(toString(pilotEnv('PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER')), 'false');


/** The labels of istiod's RBAC objects. */
const labels = { app: 'istiod', release: Release.name, 'app.kubernetes.io/name': 'istiod', ...spread(include('istiod.labels')) };

/** The istiod ServiceAccount, which every role of this chart is bound to. */
export const ISTIOD_SUBJECTS: k8s.Subject[] = [{ kind: 'ServiceAccount', name: istiodName, namespace: V.global.istioNamespace }];

export const ISTIOD_CLUSTER_ROLE = new RoleDefinition({
  kind: 'ClusterRole',
  metadata: { name: istiodClusterRoleName, labels },
  rules: ISTIOD_CLUSTER_RULES,
  condition: clusterScoped,
});

export const GATEWAY_CONTROLLER_ROLE = new RoleDefinition({
  kind: 'ClusterRole',
  metadata: { name: gatewayControllerRoleName, labels },
  rules: GATEWAY_DEPLOYMENT_CONTROLLER,
  condition: and(clusterScoped, gatewayControllerEnabled),
});

export const ISTIOD_NAMESPACE_ROLE = new RoleDefinition({
  kind: 'Role',
  metadata: { name: istiodName, namespace: V.global.istioNamespace, labels },
  rules: NAMESPACE_RULES,
  condition: namespaced,
});

export class IstiodClusterRoles extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'clusterrole', { condition: holdsConfig });
    ISTIOD_CLUSTER_ROLE.write(this, 'istiod');
    GATEWAY_CONTROLLER_ROLE.write(this, 'gateway-controller');
  }
}
