/** `istio-charts diff`: what `install` with the same flags would change in the cluster; nothing is written. */
import { Command } from 'commander';
import { InputOptions, checkedPlanFrom, withInputs } from '../inputs';
import { formatDiff, planDiff } from '../install/diff';
import { connect, KubeOptions } from '../kube';

export function diffCommand(parent: () => KubeOptions): Command {
  return withInputs(new Command('diff').description('Show what install would create, change and delete, object by object (server-side dry runs)'))
    .option('--exit-code', 'exit 3 when there are changes (for scripts)')
    .action(async (opts: InputOptions & { exitCode?: boolean }) => {
      const plan = await checkedPlanFrom(opts);
      const changes = await planDiff(connect(parent()), plan);
      process.stdout.write(formatDiff(changes));
      if (opts.exitCode && changes.length) process.exitCode = 3;
    });
}
