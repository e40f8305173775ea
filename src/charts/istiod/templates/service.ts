/** The istiod Service: xDS (15010, 15012), webhooks (443 -> 15017) and monitoring (15014). */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, ifSet, rangeList, toYaml, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { istiodName, namespaced, pilotLabels, runsIstiod, revisionSelector, IstiodTemplate } from '../names';

/** The Service ports istiod is reached on; webhooks address port 443 by name. */
export const ISTIOD_SERVICE_PORTS: k8s.ServicePort[] = [
  { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
  { port: 15012, name: 'https-dns', protocol: 'TCP' },
  { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
  { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
];


/** What the istiod Service and the revision-tag Services share: ports, selector, IP families. */
export function istiodServiceSpec(): k8s.ServiceSpec {
  const P = V.pilot;
  return {
    ports: ISTIOD_SERVICE_PORTS,
    // the default revision's Service must not select a canary's pods
    selector: { app: 'istiod', ...revisionSelector },
    ipFamilyPolicy: ifSet(P.ipFamilyPolicy),
    ipFamilies: when(P.ipFamilies, [rangeList(P.ipFamilies, (f) => f)]),
  };
}

export class IstiodService extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'service', { condition: and(namespaced, runsIstiod) });
    const P = V.pilot;
    new HelmObject(this, 'istiod', {
      gvk: k8s.GVK.Service,
      metadata: {
        name: istiodName,
        namespace: Release.namespace,
        annotations: toYaml(P.serviceAnnotations),
        labels: pilotLabels({ app: 'istiod', istio: 'pilot' }),
      },
      body: {
        spec: { ...istiodServiceSpec(), trafficDistribution: ifSet(P.trafficDistribution) },
      },
    });
  }
}
