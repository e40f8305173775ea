/**
 * `istio-charts install`: istioctl install's flags on top of the charts. One helm release per
 * component, applied side by side where nothing orders them, and waited on; a second run
 * upgrades. `--dry-run` and `--diff` show what would change (server-side dry runs) and write
 * nothing.
 */
import { Command } from 'commander';
import { ISTIO_VERSION } from '../../versions';
import { CommandFailed, UsageError } from '../errors';
import { validatePlan } from '../../operator';
import { helmPath } from '../helm';
import { InputOptions, planFrom, withInputs } from '../inputs';
import { formatDiff, planDiff } from '../install/diff';
import { install, releaseTitle } from '../install/install';
import { connect, KubeOptions } from '../kube';
import { confirm } from '../prompt';

export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--timeout ${value}: expected a duration such as 300s, 5m or 1h`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

interface InstallFlags extends InputOptions {
  dryRun?: boolean;
  diff?: boolean;
  wait: boolean;
  timeout: string;
}

export function installCommand(parent: () => KubeOptions): Command {
  return withInputs(new Command('install').alias('apply').description('Install or upgrade Istio: one helm release per component, in order, waited on'))
    .option('-y, --skip-confirmation', 'do not ask before installing')
    .option('--dry-run', 'show what would be installed and changed; write nothing')
    .option('--diff', 'show the changes before installing')
    .option('--wait', 'wait for every component to be ready (the default)', true)
    .option('--no-wait', 'return once helm has applied each release')
    .option('--timeout <duration>', 'how long to wait for readiness, over the whole install', '300s')
    .action(async (opts: InstallFlags & { skipConfirmation?: boolean }) => {
      const timeoutMs = parseDuration(opts.timeout);
      const plan = planFrom(opts);
      // every release checked and rendered before anything is applied (install waits on it)
      const checked = validatePlan(plan, { helm: helmPath() });
      checked.catch(() => undefined);
      for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`);
      if (!plan.releases.length) throw new UsageError(`profile "${plan.profile}" with these settings installs nothing; enable a component (e.g. --set components.pilot.enabled=true)`);
      // asked nothing, install starts helm first and says where while helm works
      const unattended = !!opts.skipConfirmation && !opts.dryRun && !opts.diff;
      if (!unattended) await checked;
      const kube = connect(parent(), { lazy: unattended });
      const announce = () => {
        const where = kube.config.getCurrentContext();
        process.stdout.write(`Istio ${ISTIO_VERSION}, profile "${plan.profile}"${plan.revision ? `, revision "${plan.revision}"` : ''}, into context "${where}":\n`);
        for (const r of plan.releases) process.stdout.write(`  ${releaseTitle(r)}\n`);
      };
      if (unattended) {
        await install(kube, plan, { wait: opts.wait, timeoutMs, announce, checked });
        return;
      }
      announce();
      if (opts.dryRun || opts.diff) process.stdout.write(formatDiff(await planDiff(kube, plan)));
      if (opts.dryRun) return;
      const proceed = await confirm(`This will install the Istio ${ISTIO_VERSION} profile "${plan.profile}" into the cluster. Proceed?`, !!opts.skipConfirmation);
      if (!proceed) throw new CommandFailed('Cancelled.');
      await install(kube, plan, { wait: opts.wait, timeoutMs });
    });
}
