/** For each tag in `revisionTags`, a Service `istiod-revision-tag-<tag>` in front of this revision's istiod pods. */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, toYaml } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, pilotLabels, IstiodTemplate, revisionTagServiceName } from '../names';
import { overTags, tag } from './revision-tags-mwc';
import { istiodServiceSpec } from './service';

export class RevisionTagServices extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'revision-tags-svc');
    const P = V.pilot;
    new HelmObject(this, 'service', {
      gvk: k8s.GVK.Service,
      condition: namespaced,
      loop: overTags,
      metadata: {
        name: revisionTagServiceName(tag),
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
