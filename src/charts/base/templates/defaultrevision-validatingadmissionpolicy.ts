/**
 * The "stable" channel guard (experimental.stableValidationPolicy, which the stable profile
 * sets): a ValidatingAdmissionPolicy that the apiserver itself enforces, rejecting the Istio
 * APIs and fields that are not yet stable, so a cluster can promise to use only stable Istio
 * config.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, include, ne, spread } from '../../../helm';
import { inScope } from '../../../values/global';
import { V } from '../../../values/base';
import { BaseTemplate, STABLE_POLICY, STABLE_POLICY_BINDING } from '../names';
import { ISTIO_CONFIG_RESOURCE_RULES, NOT_STABLE } from '../../common/stable-policy';

export class StableValidationPolicy extends BaseTemplate {
  constructor(scope: Construct) {
    super(scope, 'defaultrevision-validatingadmissionpolicy', {
      condition: and(
        inScope(V.global.resourceScope, 'cluster'),
        ne(V.defaultRevision, ''),
        V.experimental.stableValidationPolicy,
      ),
    });
    const labels = {
      release: Release.name,
      istio: 'istiod',
      'istio.io/rev': V.defaultRevision,
      'app.kubernetes.io/name': 'istiod',
      ...spread(include('base.labels')),
    };
    const spec: k8s.ValidatingAdmissionPolicySpec = {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: ISTIO_CONFIG_RESOURCE_RULES,
      },
      validations: NOT_STABLE,
    };
    new HelmObject(this, 'policy', {
      gvk: k8s.GVK.ValidatingAdmissionPolicy,
      metadata: { name: STABLE_POLICY, labels },
      body: { spec },
    });
    const binding: k8s.ValidatingAdmissionPolicyBindingSpec = { policyName: STABLE_POLICY, validationActions: ['Deny'] };
    new HelmObject(this, 'binding', {
      gvk: k8s.GVK.ValidatingAdmissionPolicyBinding,
      metadata: { name: STABLE_POLICY_BINDING, labels },
      body: { spec: binding },
    });
  }
}
