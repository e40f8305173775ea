/**
 * The stable-channel guard of one revision (experimental.stableValidationPolicy, set by the
 * `stable` profile): a ValidatingAdmissionPolicy `stable-channel-policy[-rev]-<istioNs>.istio.io`
 * the apiserver enforces on the Istio config labelled for this revision, rejecting APIs and
 * fields that are not yet stable. Base's default-revision policy covers unlabelled config.
 *
 * Like upstream, it is rendered with the namespaced objects (global.resourceScope all or
 * namespace) although both objects are cluster-scoped, and only where istiod reads config.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, and, include, spread } from '../../../helm';
import { V } from '../../../values/istiod';
import { ISTIO_CONFIG_RESOURCE_RULES, NOT_STABLE } from '../../common/stable-policy';
import { holdsConfig, namespaced, revisionOrDefault, IstiodTemplate, stablePolicyName, stablePolicyBindingName } from '../names';


export class RevisionValidationPolicy extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'validatingadmissionpolicy', { condition: and(namespaced, holdsConfig, V.experimental.stableValidationPolicy) });
    const name = stablePolicyName;
    const spec: k8s.ValidatingAdmissionPolicySpec = {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: ISTIO_CONFIG_RESOURCE_RULES,
        // only config of this revision; the istio.io/rev label routes it here as it does for the validator
        objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revisionOrDefault] }] },
      },
      validations: NOT_STABLE,
    };
    new HelmObject(this, 'policy', {
      gvk: k8s.GVK.ValidatingAdmissionPolicy,
      metadata: { name, labels: { 'app.kubernetes.io/name': 'istiod', ...spread(include('istiod.labels')) } },
      body: { spec },
    });
    const binding: k8s.ValidatingAdmissionPolicyBindingSpec = { policyName: name, validationActions: ['Deny'] };
    new HelmObject(this, 'binding', {
      gvk: k8s.GVK.ValidatingAdmissionPolicyBinding,
      metadata: { name: stablePolicyBindingName },
      body: { spec: binding },
    });
  }
}
