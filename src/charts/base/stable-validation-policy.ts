/**
 * The "stable" channel guard (experimental.stableValidationPolicy, or profile=stable): a
 * ValidatingAdmissionPolicy that the apiserver itself enforces, rejecting the Istio APIs and
 * fields that are not yet stable, so a cluster can promise to use only stable Istio config.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, Release, TemplateFile, and, eq, include, ne, or, spread } from '../../helm';
import { hole } from '../../helm/expr';
import { inScope } from '../../values/global';
import { V } from '../../values/base';
import { ISTIO_CONFIG_RULES } from '../common/validation-webhook';

const POLICY = 'stable-channel-default-policy.istio.io';

// admissionregistration/v1 (GA in Kubernetes 1.30); cdk8s-plus-28 types only its v1beta1 shape, which is the same
const VAP = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' };
const VAP_BINDING = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding' };

/** What the stable channel excludes, each with the message a user sees when rejected. */
const NOT_STABLE: Array<{ expression: string; message: string }> = [
  {
    expression: "!(object.kind in ['EnvoyFilter', 'WasmPlugin', 'ProxyConfig'])",
    message: 'EnvoyFilter, WasmPlugin and ProxyConfig are not part of the stable Istio API',
  },
  {
    expression: [
      "object.kind != 'Telemetry' || !has(object.spec) || !(",
      '  (has(object.spec.tracing) && object.spec.tracing.exists(t, has(t.useRequestIdForTraceSampling))) ||',
      '  (has(object.spec.metrics) && object.spec.metrics.exists(m, has(m.reportingInterval))) ||',
      '  (has(object.spec.accessLogging) && object.spec.accessLogging.exists(l, has(l.filter)))',
      ')',
    ].join('\n'),
    message: 'Telemetry tracing.useRequestIdForTraceSampling, metrics.reportingInterval and accessLogging.filter are not stable',
  },
  {
    expression: [
      "object.kind != 'AuthorizationPolicy' || !has(object.spec) || !has(object.spec.rules) ||",
      '  !object.spec.rules.exists(r, has(r.from) && r.from.exists(f,',
      '    has(f.source) && (has(f.source.trustDomains) || has(f.source.notTrustDomains))))',
    ].join('\n'),
    message: 'AuthorizationPolicy source.trustDomains and source.notTrustDomains are not stable',
  },
];

export class StableValidationPolicy extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'stable-validation-policy', {
      condition: and(
        inScope(V.global.resourceScope, 'cluster'),
        ne(V.defaultRevision, ''),
        or(V.experimental.stableValidationPolicy, eq(hole('coalesce .Values.profile .Values.global.profile'), 'stable')),
      ),
    });
    const labels = {
      release: Release.name,
      istio: 'istiod',
      'istio.io/rev': V.defaultRevision,
      'app.kubernetes.io/name': 'istiod',
      ...spread(include('base.labels')),
    };
    const spec: k8s.ValidatingAdmissionPolicySpecV1Beta1 = {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: ISTIO_CONFIG_RULES.map((r) => ({ apiGroups: r.apiGroups, apiVersions: r.apiVersions, operations: r.operations, resources: r.resources })),
      },
      validations: NOT_STABLE,
    };
    new HelmObject(this, 'policy', {
      gvk: VAP,
      metadata: { name: POLICY, labels },
      body: { spec },
    });
    const binding: k8s.ValidatingAdmissionPolicyBindingSpecV1Beta1 = { policyName: POLICY, validationActions: ['Deny'] };
    new HelmObject(this, 'binding', {
      gvk: VAP_BINDING,
      metadata: { name: 'stable-channel-default-policy-binding.istio.io', labels },
      body: { spec: binding },
    });
  }
}
