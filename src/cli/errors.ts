/**
 * How the CLI ends: bad input (a malformed file, an unknown `--set` path, an unknown profile)
 * exits 2 with one line naming the offending value, before anything is applied; a failure
 * against the cluster exits 1.
 */
import { UnknownNameError } from '../profiles';

/** Input the user must fix; exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A failed operation (install timed out, check found errors); exit code 1. Its message is already printed when `reported`. */
export class CommandFailed extends Error {
  readonly exitCode = 1;
  constructor(message: string, readonly reported = false) {
    super(message);
  }
}

/** Errors that are the user's input, from any layer (profiles, IstioOperator conversion). */
export function isInputError(e: unknown): boolean {
  if (e instanceof UsageError || e instanceof UnknownNameError) return true;
  // InputError and InvalidPlan (a plan's bad values) carry the name InputError; an overlay that cannot apply names the user's overlay
  return e instanceof Error && (e.name === 'InputError' || e.name === 'OverlayError' || e.constructor.name === 'InputError');
}
