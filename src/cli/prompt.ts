/** The yes/no question install, uninstall --purge ask on a terminal (skipped with -y; refused without a terminal). */
import { createInterface } from 'readline';
import { UsageError } from './errors';

export async function confirm(question: string, assumeYes: boolean): Promise<boolean> {
  if (assumeYes) return true;
  if (!process.stdin.isTTY) throw new UsageError(`${question.replace(/\?$/, '')}: confirmation needed, but there is no terminal; pass -y to proceed`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} (y/N) `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
