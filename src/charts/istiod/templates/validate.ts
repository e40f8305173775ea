/**
 * Render-time checks: values this chart cannot honour fail the render with a message that
 * names the key and what to do instead (removed upstream keys are checked here too).
 */
import { exprOf } from '../../../helm';
import { V } from '../../../values/istiod';

export const ISTIOD_CHECKS = [
  `{{- if eq ${exprOf(V.global.pilotCertProvider)} "kubernetes" }}`,
  '{{- fail "global.pilotCertProvider=kubernetes is not supported; use istiod" }}',
  '{{- end }}',
];
