/**
 * On a remote cluster whose istiod runs elsewhere (istiodRemote.enabled with
 * global.remotePilotAddress): a Service under istiod's name so proxies and webhooks find it
 * locally. An IP address gets a selector-less Service plus an EndpointSlice holding the
 * address; a host name gets an ExternalName Service. With a local injector istiod
 * (enabledLocalInjectorIstiod) the name takes a `-remote` suffix, leaving `istiod` to the local one.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, and, comment, ifSet, include, not, onlyIf, rangeList, spread, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, remoteIstiodName, revisionOrDefault, IstiodTemplate } from '../names';
import { address, isIP } from './_remote';

/** This cluster's istiod runs elsewhere, at global.remotePilotAddress. */
export const remoteIstiodElsewhere = and(namespaced, address, V.istiodRemote.enabled);

export class RemoteIstiodService extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'remote-istiod-service', { condition: remoteIstiodElsewhere });
    const G = V.global;
    const spec: k8s.ServiceSpec = {
      ports: [
        { port: 15012, name: 'tcp-istiod', protocol: 'TCP' },
        { port: 443, targetPort: 15017, name: 'tcp-webhook', protocol: 'TCP' },
      ],
      ...comment('a host name is resolved by DNS through an ExternalName Service'),
      ...onlyIf(not(isIP), { type: 'ExternalName', externalName: address }),
      ipFamilyPolicy: ifSet(G.ipFamilyPolicy),
      ipFamilies: when(G.ipFamilies, [rangeList(G.ipFamilies, (f) => f)]),
    };
    new HelmObject(this, 'service', {
      gvk: k8s.GVK.Service,
      metadata: {
        name: remoteIstiodName,
        namespace: Release.namespace,
        labels: { 'istio.io/rev': revisionOrDefault, 'app.kubernetes.io/name': 'istiod', ...spread(include('istiod.labels')) },
      },
      body: { spec },
    });
  }
}
