/**
 * The Istio CRDs as plain templates: Helm then upgrades them with the chart (its crds/
 * directory never would), and the keep annotation they carry leaves them in place on
 * uninstall. Each can be left out through `base.excludedCRDs`. The specs are data, one file
 * per CRD under files/crds/ (byte for byte from the pinned API release); this template adds
 * the metadata.
 */
import { Construct } from 'constructs';
import { HelmObject, fileText, has, hole, include, not, when } from '../../../helm';
import { Crd, loadCrds } from '../../../crds';
import { inScope } from '../../../values/global';
import { V } from '../../../values/base';
import { BaseTemplate } from '../names';

/** The labels the CRD file carries; kept when `base.enableCRDTemplates` is false. */
const STATIC_LABELS = { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' };

/** Where a CRD's spec is shipped: `files/crds/<name>.yaml`. */
const specFile = (crd: Crd): string => `files/crds/${crd.name}.yaml`;

/** The spec files, by path relative to the chart. */
export function crdSpecFiles(): Map<string, string> {
  return new Map(loadCrds().map((crd) => [specFile(crd), crd.specText.endsWith('\n') ? crd.specText : `${crd.specText}\n`]));
}

export class IstioCrds extends BaseTemplate {
  constructor(scope: Construct) {
    super(scope, 'crds', { condition: inScope(V.global.resourceScope, 'cluster') });
    const annotations = new Set(loadCrds().map((c) => JSON.stringify(c.annotations)));
    if (annotations.size !== 1) throw new Error('the CRDs carry different annotations; crds.ts writes one set for all');
    const path = hole('$path');
    const name = hole<string>(`base ${'$path'} | trimSuffix ".yaml"`, 'raw');
    new HelmObject(this, 'crd', {
      gvk: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
      loop: { over: hole('.Files.Glob "files/crds/*.yaml"'), variables: '$path, $_', where: not(has(name, V.base.excludedCRDs)) },
      metadata: {
        name,
        annotations: JSON.parse([...annotations][0]),
        labels: when(V.base.enableCRDTemplates, include('base.labels'), STATIC_LABELS),
      },
      body: { spec: fileText(path) },
    });
  }
}
