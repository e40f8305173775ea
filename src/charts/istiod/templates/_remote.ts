/** `_remote.tpl`: the name and address type of the Service standing in for a remote istiod. */
import { defineHelper, exprOf, regexMatch, tplName } from '../../../helm';
import { V } from '../../../values/istiod';

/** The name of a remote istiod's Service and EndpointSlice (read through names.ts). */
defineHelper<string>(
  'istiod.remoteName',
  'The remote istiod Service: istiod[-rev], with -remote next to a local injector istiod.',
  `{{ include "istiod.name" . }}{{ if ${exprOf(V.istiodRemote.enabledLocalInjectorIstiod)} }}-remote{{ end }}`,
  { file: tplName(__filename), as: 'value' },
);

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
  { file: tplName(__filename), as: 'value' },
);
export const isIP = addressType as unknown as boolean;
