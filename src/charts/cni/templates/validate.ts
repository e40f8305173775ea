/**
 * Render-time checks: the profile and platform names (global.profile and global.platform
 * included). Any profile may need the agent (pilot.cni.enabled=true), so none refuses it.
 */
import { profileChecks } from '../../common/profiles';

export const CNI_CHECKS = [...profileChecks('cni')];
