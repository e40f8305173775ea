/** `istio-charts manifest generate`: exactly what `install` would apply, as one YAML stream in install order. */
import { Command } from 'commander';
import { writeFileSync } from 'fs';
import { manifestYaml, renderPlan } from '../../operator';
import { helmPath } from '../helm';
import { InputOptions, planFrom, withInputs } from '../inputs';

export function manifestCommand(): Command {
  const cmd = new Command('manifest').description('Render what install applies, without a cluster');
  withInputs(cmd.command('generate').description('One YAML stream: base, istiod, cni/ztunnel where enabled, then the gateways'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (opts: InputOptions & { output?: string }) => {
      const plan = planFrom(opts);
      for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`);
      const yaml = manifestYaml(await renderPlan(plan, { helm: helmPath() }));
      if (opts.output) writeFileSync(opts.output, yaml);
      else process.stdout.write(yaml);
    });
  return cmd;
}
