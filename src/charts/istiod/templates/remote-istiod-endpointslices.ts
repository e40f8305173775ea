/**
 * For an IP global.remotePilotAddress, the EndpointSlice behind the selector-less remote istiod
 * Service (remote-istiod-service.ts): it holds the address, so proxies and webhooks reach it.
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, Release, comment, include, spread } from '../../../helm';
import { remoteIstiodName, IstiodTemplate } from '../names';
import { address, addressType, isIP } from './_remote';
import { remoteIstiodElsewhere } from './remote-istiod-service';

export class RemoteIstiodEndpointSlices extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'remote-istiod-endpointslices', { condition: remoteIstiodElsewhere });
    const ports: k8s.EndpointPort[] = [
      { port: 15012, name: 'tcp-istiod', protocol: 'TCP' },
      { port: 15017, name: 'tcp-webhook', protocol: 'TCP' },
    ];
    new HelmObject(this, 'endpoints', {
      gvk: k8s.GVK.EndpointSlice,
      condition: isIP,
      metadata: {
        name: remoteIstiodName,
        namespace: Release.namespace,
        labels: {
          'kubernetes.io/service-name': comment('ties the slice to the selector-less Service above', remoteIstiodName),
          'endpointslice.kubernetes.io/managed-by': Release.service,
          'app.kubernetes.io/name': 'istiod',
          ...spread(include('istiod.labels')),
        },
      },
      body: {
        addressType,
        endpoints: [{ addresses: [address] }] satisfies k8s.Endpoint[],
        ports,
      },
    });
  }
}
