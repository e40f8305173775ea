/** Render-time checks: profile and platform names (any profile renders: upstream's install names none). */
import { V } from '../../../values/ztunnel';
import { profileChecks } from '../../common/profiles';

export const ZTUNNEL_CHECKS = [...profileChecks('ztunnel', V.enabled, { refuseLeftOut: false })];
