/**
 * Render-time checks: the profile and platform names, the refusal under a profile that leaves
 * the gateway out (unless enabled=true), and values Kubernetes would reject, each naming the key.
 */
import { V } from '../../../values/gateway';
import { profileChecks } from '../../common/profiles';

export const GATEWAY_CHECKS = [
  ...profileChecks('gateway', V.enabled),
  // an empty port list would give a Service Kubernetes rejects
  '{{- if and (ne .Values.service.type "None") (not .Values.networkGateway) (not .Values.service.ports) }}',
  '{{- fail "service.ports must not be empty unless networkGateway is set" }}',
  '{{- end }}',
];
