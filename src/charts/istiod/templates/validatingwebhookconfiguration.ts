/**
 * ValidatingWebhookConfiguration `istio-validator[-rev]-<istioNamespace>`: validates the Istio
 * config labelled for this revision (objects without a label go to base's default
 * validator). istiod patches its caBundle and switches it to failurePolicy Fail once it serves.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, include, spread } from '../../../helm';
import { V } from '../../../values/istiod';
import { istioValidationWebhook } from '../../common/validation-webhook';
import { clusterScoped, holdsConfig, istiodName, revisionOrDefault, IstiodTemplate, validatorWebhookName } from '../names';

export class ValidationWebhook extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'validatingwebhookconfiguration', { condition: and(clusterScoped, holdsConfig, V.global.configValidation) });
    const webhook = istioValidationWebhook('rev.validation.istio.io', V.base, { name: istiodName, namespace: V.global.istioNamespace, path: '/validate' }, {
      objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revisionOrDefault] }] },
    });
    new HelmObject(this, 'validator', {
      gvk: k8s.GVK.ValidatingWebhookConfiguration,
      metadata: {
        name: validatorWebhookName,
        labels: {
          app: 'istiod',
          release: Release.name,
          istio: 'istiod',
          'istio.io/rev': revisionOrDefault,
          'app.kubernetes.io/name': 'istiod',
          ...spread(include('istiod.labels')),
        },
      },
      body: { webhooks: [webhook] },
    });
  }
}
