/**
 * Revision tags: stable names (e.g. `prod`) that point at this revision, so namespaces label
 * `istio.io/rev=prod` and move between revisions by re-pointing the tag instead of relabelling.
 * Each tag in `revisionTags` gets:
 * - a MutatingWebhookConfiguration `istio-revision-tag-<tag>[-<ns>]`, with the revision's
 *   injection webhooks selecting the tag's name but calling this revision's istiod; the tag
 *   `default` also takes over the default-revision webhooks (istio-injection=enabled, ...);
 * - a Service `istiod-revision-tag-<tag>` in front of this revision's istiod pods.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, Release, TemplateFile, and, eq, hole, includeValue, not, toYaml, when } from '../../helm';
import { V } from '../../values/istiod';
import { defaultRevisionWebhooks, revisionWebhooks } from './injection-webhook';
import { PRELUDE, clusterScoped, namespaced, pilotLabels } from './names';
import { istiodServiceSpec } from './service';

/** The loop variable holding the current tag. */
const TAG = '$tag';
const tag = hole(TAG);
const overTags = { over: V.revisionTags, variables: TAG };

export class RevisionTags extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'revision-tags', { prelude: PRELUDE });

    new HelmObject(this, 'webhook', {
      gvk: k8s.KubeMutatingWebhookConfiguration.GVK,
      condition: and(clusterScoped, not(V.global.operatorManageWebhooks)),
      loop: overTags,
      metadata: {
        name: `istio-revision-tag-${tag}${includeValue('istiod.namespaceSuffix')}`,
        labels: pilotLabels({ 'istio.io/tag': tag, app: 'sidecar-injector' }),
        annotations: toYaml(V.pilot.sidecarInjectorWebhookAnnotations),
      },
      body: {
        webhooks: [...revisionWebhooks(tag), when(eq(tag, 'default'), defaultRevisionWebhooks())],
      },
    });

    const P = V.pilot;
    new HelmObject(this, 'service', {
      gvk: k8s.KubeService.GVK,
      condition: namespaced,
      loop: overTags,
      metadata: {
        name: `istiod-revision-tag-${tag}`,
        namespace: Release.namespace,
        annotations: toYaml(P.serviceAnnotations),
        labels: pilotLabels({ 'istio.io/tag': tag, app: 'istiod', istio: 'pilot' }),
      },
      body: {
        spec: istiodServiceSpec(),
      },
    });
  }
}
