/**
 * Kubernetes objects as the API spells them, for typing the trees templates are built from:
 * the kubernetes-types package is the wire format (`clusterIP`, where cdk8s's classes say
 * `clusterIp`; IntOrString and Quantity as plain numbers and strings; admissionregistration v1
 * with ValidatingAdmissionPolicy), so a field typed here is written exactly as typed.
 */
import type * as admission from 'kubernetes-types/admissionregistration/v1';
import type * as autoscaling from 'kubernetes-types/autoscaling/v2';
import type * as core from 'kubernetes-types/core/v1';
import type * as discovery from 'kubernetes-types/discovery/v1';
import type * as meta from 'kubernetes-types/meta/v1';
import type * as networking from 'kubernetes-types/networking/v1';
import type * as rbac from 'kubernetes-types/rbac/v1';

export type Container = core.Container;
export type EnvVar = core.EnvVar;
export type EnvVarSource = core.EnvVarSource;
export type PodSecurityContext = core.PodSecurityContext;
export type PodSpec = core.PodSpec;
export type PodTemplateSpec = core.PodTemplateSpec;
export type ResourceQuotaSpec = core.ResourceQuotaSpec;
export type SecurityContext = core.SecurityContext;
export type ServicePort = core.ServicePort;
export type ServiceSpec = core.ServiceSpec;
export type Volume = core.Volume;
export type VolumeMount = core.VolumeMount;
export type Endpoint = discovery.Endpoint;
export type EndpointPort = discovery.EndpointPort;
export type LabelSelector = meta.LabelSelector;
export type LabelSelectorRequirement = meta.LabelSelectorRequirement;
export type HorizontalPodAutoscalerSpec = autoscaling.HorizontalPodAutoscalerSpec;
export type MetricSpec = autoscaling.MetricSpec;
export type NetworkPolicyIngressRule = networking.NetworkPolicyIngressRule;
export type NetworkPolicyPort = networking.NetworkPolicyPort;
export type NetworkPolicySpec = networking.NetworkPolicySpec;
export type PolicyRule = rbac.PolicyRule;
export type RoleRef = rbac.RoleRef;
export type Subject = rbac.Subject;
export type MutatingWebhook = admission.MutatingWebhook;
export type ValidatingWebhook = admission.ValidatingWebhook;
export type WebhookClientConfig = admission.WebhookClientConfig;
export type ServiceReference = admission.ServiceReference;
/** What Go's embedded `Rule` adds to the two rule types below (kubernetes-types leaves embedded fields out). */
interface RuleResources {
  resources?: string[];
  scope?: string;
}
export type RuleWithOperations = admission.RuleWithOperations & RuleResources;
export type NamedRuleWithOperations = admission.NamedRuleWithOperations & RuleResources;
export type Validation = admission.Validation;
export type ValidatingAdmissionPolicySpec = admission.ValidatingAdmissionPolicySpec;
export type ValidatingAdmissionPolicyBindingSpec = admission.ValidatingAdmissionPolicyBindingSpec;

/**
 * Multus's NetworkAttachmentDefinition (k8s.cni.cncf.io/v1, a CRD that kubernetes-types does
 * not know): `config` is the CNI configuration as JSON text; without it Multus reads the
 * plugin's file from its configuration directory.
 */
export interface NetworkAttachmentDefinitionSpec {
  config?: string;
}

/** apiVersion and kind of every object the charts render, by kind. */
export const GVK = {
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  Service: { apiVersion: 'v1', kind: 'Service' },
  ServiceAccount: { apiVersion: 'v1', kind: 'ServiceAccount' },
  ResourceQuota: { apiVersion: 'v1', kind: 'ResourceQuota' },
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  DaemonSet: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  MutatingWebhookConfiguration: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
  ValidatingWebhookConfiguration: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
  ValidatingAdmissionPolicy: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' },
  ValidatingAdmissionPolicyBinding: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding' },
  CustomResourceDefinition: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  NetworkAttachmentDefinition: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition' },
} as const;
