/**
 * The options manifest generate, install and diff share, as istioctl spells them: -f (chart
 * values or IstioOperator files, repeatable), --set path=value (repeatable), -r/--revision.
 */
import { Command } from 'commander';
import { InstallPlan, planInstall } from '../operator';
import { UsageError, isInputError } from './errors';

export interface InputOptions {
  filename: string[];
  set: string[];
  revision?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function withInputs(cmd: Command): Command {
  return cmd
    .option('-f, --filename <file>', 'IstioOperator or chart values file (repeatable; later files win)', collect, [])
    .option('-s, --set <path=value>', 'set a value by IstioOperator path, e.g. profile=demo (repeatable)', collect, [])
    .option('-r, --revision <name>', 'control plane revision to install (canary upgrades)');
}

/** The install plan the inputs mean; bad input becomes a UsageError naming the offending path. */
export function planFrom(opts: InputOptions): InstallPlan {
  try {
    return planInstall({ files: opts.filename, sets: opts.set, revision: opts.revision });
  } catch (e) {
    if (isInputError(e)) throw new UsageError((e as Error).message);
    throw e;
  }
}
