/**
 * What the "stable" channel excludes, shared by base's default-revision policy and istiod's
 * per-revision one: each rule is a CEL expression with the message users see when rejected.
 */
import * as k8s from '../../helm/kube';
import { ISTIO_CONFIG_RULES } from './validation-webhook';

export const NOT_STABLE: k8s.Validation[] = [
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

/** The Istio config APIs a policy watches, in the policy's resourceRules shape. */
export const ISTIO_CONFIG_RESOURCE_RULES: k8s.NamedRuleWithOperations[] = ISTIO_CONFIG_RULES.map((r) => ({
  apiGroups: r.apiGroups,
  apiVersions: r.apiVersions,
  operations: r.operations,
  resources: r.resources,
}));
