/**
 * Render-time checks: an unknown profile or platform fails naming the valid ones; the empty
 * profile refuses the chart unless enabled=true.
 */
import { V } from '../../../values/base';
import { profileChecks } from '../../common/profiles';

export const BASE_CHECKS = profileChecks('base', V.enabled);
