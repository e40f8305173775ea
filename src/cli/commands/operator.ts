/** `istio-charts operator convert <iop.yaml>`: the per-release chart values an IstioOperator means (for helm users leaving istioctl). */
import { Command } from 'commander';
import { readFileSync } from 'fs';
import { convertOperator } from '../../operator';
import { UsageError, isInputError } from '../errors';
import { formatDocument, parseFormat } from '../output';

export function operatorCommand(): Command {
  const cmd = new Command('operator').description('Work with IstioOperator files');
  cmd
    .command('convert <file>')
    .description('Print the chart values, per helm release, that an IstioOperator file means')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action((file: string, opts: { output: string }) => {
      const format = parseFormat(opts.output);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`${file}: ${(e as Error).message}`);
      }
      try {
        process.stdout.write(formatDocument(convertOperator(text), format));
      } catch (e) {
        if (isInputError(e)) throw new UsageError(`${file}: ${(e as Error).message}`);
        throw e;
      }
    });
  return cmd;
}
