/**
 * istiod-default-validator: validates Istio config that names no revision, through the
 * istiod of `defaultRevision`. It has no object selector on purpose: every Istio object is
 * checked by some revision. istiod patches its caBundle and failurePolicy at run time.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, include, ne, spread } from '../../../helm';
import { inScope } from '../../../values/global';
import { V } from '../../../values/base';
import { istioValidationWebhook } from '../../common/validation-webhook';
import { BaseTemplate, DEFAULT_VALIDATOR, defaultRevisionIstiod } from '../names';

export class DefaultRevisionValidator extends BaseTemplate {
  constructor(scope: Construct) {
    super(scope, 'defaultrevision-validatingwebhookconfiguration');
    // the default revision's Service is plain `istiod`; others carry the revision
    const webhook = istioValidationWebhook('validation.istio.io', V.base, { name: defaultRevisionIstiod, namespace: V.global.istioNamespace, path: '/validate' });
    new HelmObject(this, 'validator', {
      gvk: k8s.GVK.ValidatingWebhookConfiguration,
      condition: and(inScope(V.global.resourceScope, 'cluster'), ne(V.defaultRevision, '')),
      metadata: {
        name: DEFAULT_VALIDATOR,
        labels: {
          app: 'istiod',
          release: Release.name,
          istio: 'istiod',
          'istio.io/rev': V.defaultRevision,
          'app.kubernetes.io/name': 'istiod',
          ...spread(include('base.labels')),
        },
      },
      body: { webhooks: [webhook] },
    });
  }
}
