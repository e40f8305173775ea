/** `npm run tools -- ensure`: fetch or build every binary the tests use, and say where they are. */
import { execFileSync } from 'child_process';
import { helmBinary, kubectlBinary } from './helm';

function ensure() {
  for (const major of ['v4', 'v3'] as const) {
    const bin = helmBinary(major);
    const version = execFileSync(bin, ['version', '--short'], { encoding: 'utf8' }).trim();
    console.log(`helm ${major}: ${version} (${bin})`);
  }
  console.log(`kubectl: ${kubectlBinary()}`);
}

const [command] = process.argv.slice(2);
if (command === 'ensure') ensure();
else {
  console.error('usage: npm run tools -- ensure');
  process.exit(2);
}
