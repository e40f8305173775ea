/**
 * `istio-charts`: the istioctl way of installing (profiles, IstioOperator files, install with
 * progress, diff, uninstall, kube-inject, checks) on top of the project's Helm charts.
 * Written with commander; each verb is a module under commands/.
 */
import { Command, CommanderError } from 'commander';
import { checkCommand } from './commands/check';
import { diffCommand } from './commands/diff';
import { installCommand } from './commands/install';
import { kubeInjectCommand } from './commands/kube-inject';
import { manifestCommand } from './commands/manifest';
import { operatorCommand } from './commands/operator';
import { profileCommand } from './commands/profile';
import { uninstallCommand } from './commands/uninstall';
import { versionCommand } from './commands/version';
import { CommandFailed, isInputError } from './errors';
import { KubeOptions } from './kube';

export function program(): Command {
  const cli = new Command('istio-charts')
    .description('Install Istio the istioctl way, with Helm charts underneath')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .showHelpAfterError()
    .exitOverride();
  const kube = () => cli.opts<KubeOptions>();
  cli.addCommand(profileCommand());
  cli.addCommand(manifestCommand());
  cli.addCommand(installCommand(kube));
  cli.addCommand(diffCommand(kube));
  cli.addCommand(uninstallCommand(kube));
  cli.addCommand(operatorCommand());
  cli.addCommand(kubeInjectCommand());
  cli.addCommand(checkCommand());
  cli.addCommand(versionCommand());
  // addCommand does not pass these settings down: without them a verb's usage mistake would
  // exit 1 from inside commander instead of 2 through exitCodeOf
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.exitOverride().showHelpAfterError();
      inherit(sub);
    }
  };
  inherit(cli);
  return cli;
}

export async function main(argv: string[]): Promise<void> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
  } catch (e) {
    process.exitCode = exitCodeOf(e);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version end with code 0; usage mistakes are bad input
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof CommandFailed) {
    if (!e.reported) process.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (!isInputError(e)) {
    process.stderr.write(`error: ${message}\n`);
    return 1;
  }
  // bad input is one line per offending value (a plan's checks may find several)
  for (const line of message.split('\n')) process.stderr.write(`error: ${line}\n`);
  return 2;
}
