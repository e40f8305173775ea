/**
 * The Istio CRDs as plain templates: Helm then upgrades them with the chart (its crds/
 * directory never would), and the keep annotation they carry leaves them in place on
 * uninstall. Each can be left out through `base.excludedCRDs`.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmObject, TemplateFile, has, include, not, verbatim, when } from '../../../helm';
import { loadCrds } from '../../../crds';
import { inScope } from '../../../values/global';
import { V } from '../../../values/base';

/** The labels the CRD file carries; kept when `base.enableCRDTemplates` is false. */
const STATIC_LABELS = { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' };

export class IstioCrds extends TemplateFile {
  constructor(scope: Construct) {
    super(scope, 'crds', { condition: inScope(V.global.resourceScope, 'cluster') });
    for (const crd of loadCrds()) {
      new HelmObject(this, crd.name, {
        gvk: k8s.KubeCustomResourceDefinition.GVK,
        condition: not(has(crd.name, V.base.excludedCRDs)),
        metadata: {
          name: crd.name,
          annotations: crd.annotations,
          labels: when(V.base.enableCRDTemplates, include('base.labels'), STATIC_LABELS),
        },
        body: { spec: verbatim(crd.specText) },
      });
    }
  }
}
