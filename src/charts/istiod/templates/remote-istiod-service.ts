/**
 * On a remote cluster whose istiod runs elsewhere (istiodRemote.enabled with
 * global.remotePilotAddress): a Service under istiod's name so proxies and webhooks find it
 * locally. An IP address gets a selector-less Service plus an EndpointSlice holding the
 * address; a host name gets an ExternalName Service. With a local injector istiod
 * (enabledLocalInjectorIstiod) the name takes a `-remote` suffix, leaving `istiod` to the local one.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  HelmObject, Release, and, comment, defineHelper, exprOf, ifSet, include, not, onlyIf, rangeList, regexMatch, spread, when,
} from '../../../helm';
import { V } from '../../../values/istiod';
import { namespaced, remoteIstiodName, revisionOrDefault, IstiodTemplate } from '../names';

export const address = V.global.remotePilotAddress;
/** Dotted quad (loosely, as upstream checks it). */
const isIPv4 = regexMatch('^([0-9]*\\.){3}[0-9]*$', address);
/** Hex groups separated by colons. */
const isIPv6 = regexMatch('^([0-9a-fA-F]*:)+[0-9a-fA-F]*$', address);

/** `IPv4` or `IPv6` when global.remotePilotAddress is an address, empty for a host name. */
export const addressType = defineHelper<string>(
  'istiod.remoteAddressType',
  'IPv4 or IPv6 when global.remotePilotAddress is an IP address, nothing for a host name.',
  `{{- if ${exprOf(isIPv4)} }}IPv4{{- else if ${exprOf(isIPv6)} }}IPv6{{- end }}`,
  { file: '_remote', as: 'value' },
);
export const isIP = addressType as unknown as boolean;

/** This cluster's istiod runs elsewhere, at global.remotePilotAddress. */
export const remoteIstiodElsewhere = and(namespaced, address, V.istiodRemote.enabled);

export class RemoteIstiodService extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'remote-istiod-service', { condition: remoteIstiodElsewhere });
    const G = V.global;
    const spec: k8s.ServiceSpec = {
      ports: [
        { port: 15012, name: 'tcp-istiod', protocol: 'TCP' },
        { port: 443, targetPort: k8s.IntOrString.fromNumber(15017), name: 'tcp-webhook', protocol: 'TCP' },
      ],
      ...comment('a host name is resolved by DNS through an ExternalName Service'),
      ...onlyIf(not(isIP), { type: 'ExternalName', externalName: address }),
      ipFamilyPolicy: ifSet(G.ipFamilyPolicy),
      ipFamilies: when(G.ipFamilies, [rangeList(G.ipFamilies, (f) => f)]),
    };
    new HelmObject(this, 'service', {
      gvk: k8s.KubeService.GVK,
      metadata: {
        name: remoteIstiodName,
        namespace: Release.namespace,
        labels: { 'istio.io/rev': revisionOrDefault, 'app.kubernetes.io/name': 'istiod', ...spread(include('istiod.labels')) },
      },
      body: { spec },
    });
  }
}
