/**
 * Render-time checks: an unknown profile or platform fails naming the valid ones; the empty
 * profile refuses the chart unless enabled=true; values this chart cannot honour fail the render
 * with a message that names the key and what to do instead (removed upstream keys are checked
 * here too).
 */
import { exprOf } from '../../../helm';
import { V } from '../../../values/istiod';
import { profileChecks } from '../../common/profiles';

export const ISTIOD_CHECKS = [
  ...profileChecks('istiod', V.enabled),
  `{{- if eq ${exprOf(V.global.pilotCertProvider)} "kubernetes" }}`,
  '{{- fail "global.pilotCertProvider=kubernetes is not supported; use istiod" }}',
  '{{- end }}',
];
