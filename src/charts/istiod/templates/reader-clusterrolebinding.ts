/**
 * Binds the reader ClusterRole (reader-clusterrole.ts) to the reader ServiceAccount, which the
 * base chart creates (or one the user names).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { comment, spread, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { IstiodTemplate, READER_SERVICE_ACCOUNT } from '../names';
import { READER_ROLE, readerRbacEnabled } from './reader-clusterrole';

export class ReaderClusterRoleBinding extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'reader-clusterrolebinding', { condition: readerRbacEnabled });
    const account = V.global.readerServiceAccount;
    const subject = {
      kind: 'ServiceAccount',
      ...comment("an existing account can be named instead of base's istio-reader-service-account"),
      ...spread(
        when(account.name, { name: account.name, namespace: account.namespace }, {
          name: READER_SERVICE_ACCOUNT,
          namespace: V.global.istioNamespace,
        }),
      ),
    } as k8s.Subject;
    READER_ROLE.bind(this, 'reader', [subject]);
  }
}
