/**
 * Which pods bound to the local node it simulates instead of running (see simulated.ts), in a
 * module of its own that loads without a Kubernetes client, so tests can read it.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { runsHere } from '../scheduler-extender';

/** The status message a simulated pod carries starts with this, then says why. */
export const SIMULATED = 'simulated by the local node';

/** Why the local node must not run the pod, or undefined when it runs it. */
export function simulationReason(pod: V1Pod): string | undefined {
  if (!runsHere(pod)) return 'no program stands in for an image of this pod';
  // the ambient agent's socket directory to ztunnel: only ambient mode mounts it
  if ((pod.spec?.volumes ?? []).some((v) => v.hostPath?.path.replace(/\/+$/, '') === '/var/run/ztunnel')) {
    return "the ambient CNI agent would write its host rules into this machine's own network namespace";
  }
  return undefined;
}
