/**
 * Render-time checks: the profile and platform names. Unlike the control-plane charts, ztunnel
 * renders under every profile: upstream's ambient install names no profile for it.
 */
import { V } from '../../../values/ztunnel';
import { profileChecks } from '../../common/profiles';

export const ZTUNNEL_CHECKS = [...profileChecks('ztunnel', V.enabled, { refuseLeftOut: false })];
