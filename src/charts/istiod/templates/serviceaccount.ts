/** The istiod ServiceAccount (in the istio namespace, where its RBAC bindings point). */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, include, rangeList, spread, toYaml, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { holdsConfig, istiodName, namespaced, IstiodTemplate } from '../names';

export class IstiodServiceAccount extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'serviceaccount', { condition: and(namespaced, holdsConfig) });
    new HelmObject(this, 'istiod', {
      gvk: k8s.GVK.ServiceAccount,
      metadata: {
        name: istiodName,
        namespace: V.global.istioNamespace,
        labels: { app: 'istiod', release: Release.name, 'app.kubernetes.io/name': 'istiod', ...spread(include('istiod.labels')) },
        annotations: toYaml(V.pilot.serviceAccountAnnotations),
      },
      body: { imagePullSecrets: when(V.global.imagePullSecrets, [rangeList(V.global.imagePullSecrets, (name) => ({ name }))]) },
    });
  }
}
