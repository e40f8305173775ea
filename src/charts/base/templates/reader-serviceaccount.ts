/**
 * istio-reader-service-account: one per cluster, not per revision; multicluster remote
 * secrets are minted for it. Skipped when the user brings their own reader account.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, include, not, rangeList, spread, when } from '../../../helm';
import { inScope } from '../../../values/global';
import { V } from '../../../values/base';
import { BaseTemplate, READER_SERVICE_ACCOUNT } from '../names';

export class ReaderServiceAccount extends BaseTemplate {
  constructor(scope: Construct) {
    super(scope, 'reader-serviceaccount');
    new HelmObject(this, 'reader', {
      gvk: k8s.GVK.ServiceAccount,
      condition: and(inScope(V.global.resourceScope, 'namespace'), V.global.enableReaderRBAC, not(V.global.readerServiceAccount.name)),
      metadata: {
        name: READER_SERVICE_ACCOUNT,
        namespace: V.global.istioNamespace,
        labels: {
          app: 'istio-reader',
          release: Release.name,
          'app.kubernetes.io/name': 'istio-reader',
          ...spread(include('base.labels')),
        },
      },
      body: {
        imagePullSecrets: when(V.global.imagePullSecrets, [rangeList(V.global.imagePullSecrets, (secret) => ({ name: secret }))]),
      },
    });
  }
}
