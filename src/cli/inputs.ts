/**
 * The options manifest generate, install and diff share, as istioctl spells them: -f (chart
 * values or IstioOperator files, repeatable), --set path=value (repeatable), -r/--revision.
 */
import { Command } from 'commander';
import { InstallPlan, planInstall, validatePlan } from '../operator';
import { UsageError, isInputError } from './errors';
import { helmPath } from './helm';

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

/**
 * The plan with every release already checked against its chart and rendered (validatePlan):
 * what install, diff and npm start apply, so a bad value stops them before the first release.
 */
export async function checkedPlanFrom(opts: InputOptions): Promise<InstallPlan> {
  const plan = planFrom(opts);
  await validatePlan(plan, { helm: helmPath() });
  return plan;
}
