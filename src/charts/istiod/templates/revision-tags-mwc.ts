/**
 * Revision tags: stable names (e.g. `prod`) that point at this revision, so namespaces label
 * `istio.io/rev=prod` and move between revisions by re-pointing the tag instead of relabelling.
 * Each tag in `revisionTags` gets a MutatingWebhookConfiguration `istio-revision-tag-<tag>[-<ns>]`,
 * with the revision's injection webhooks selecting the tag's name but calling this revision's
 * istiod; the tag `default` also takes over the default-revision webhooks
 * (istio-injection=enabled, ...). Its Service is in revision-tags-svc.ts.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, and, eq, hole, not, toYaml, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { defaultRevisionWebhooks, revisionWebhooks } from './mutatingwebhook';
import { clusterScoped, pilotLabels, IstiodTemplate, revisionTagWebhookName } from '../names';

/** The loop variable holding the current tag. */
const TAG = '$tag';
export const tag = hole(TAG);
export const overTags = { over: V.revisionTags, variables: TAG };

export class RevisionTagWebhooks extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'revision-tags-mwc');

    new HelmObject(this, 'webhook', {
      gvk: k8s.GVK.MutatingWebhookConfiguration,
      condition: and(clusterScoped, not(V.global.operatorManageWebhooks)),
      loop: overTags,
      metadata: {
        name: revisionTagWebhookName(tag),
        labels: pilotLabels({ 'istio.io/tag': tag, app: 'sidecar-injector' }),
        annotations: toYaml(V.pilot.sidecarInjectorWebhookAnnotations),
      },
      body: {
        webhooks: [...revisionWebhooks(tag), when(eq(tag, 'default'), defaultRevisionWebhooks())],
      },
    });
  }
}
