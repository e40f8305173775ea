/** Render-time checks: profile and platform names (any profile renders: upstream's install names none). */
import { profileChecks } from '../../common/profiles';

export const ZTUNNEL_CHECKS = [...profileChecks('ztunnel')];
