/**
 * Render-time checks: an unknown profile or platform fails naming the valid ones; a profile
 * whose components leave the gateway out (minimal, remote, ambient, empty) refuses the chart
 * unless enabled=true; values that would give objects Kubernetes rejects fail the render with a
 * message that names the key.
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
