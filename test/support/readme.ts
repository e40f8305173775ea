/**
 * The commands the README shows, read from its code blocks: the cluster test runs some blocks
 * as they are written (README_BLOCKS_RUN), and the unit ledger names the test that runs each
 * other command.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

export const README = join(__dirname, '..', '..', 'README.md');

/** Each code block's commands, one per line, comments after `#` dropped. */
export function readmeBlocks(text = readFileSync(README, 'utf8')): string[][] {
  return [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) =>
    m[1]
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean),
  );
}

/** The block whose first command starts with `first` (exactly one must). */
export function readmeBlock(first: string): string[] {
  const found = readmeBlocks().filter((b) => b[0]?.startsWith(first));
  if (found.length !== 1) throw new Error(`README has ${found.length} code blocks starting with ${JSON.stringify(first)}; the README test needs exactly one`);
  return found[0];
}

/**
 * Blocks test/cluster/readme.test.ts runs line by line on a local cluster, named by their
 * first command: the chart installs of "Install Istio" (plain, with the CNI agent, ambient) and
 * the profile values file.
 */
export const README_BLOCKS_RUN = [
  'helm install istio-base    ./charts/base',
  'kubectl create namespace istio-cni',
  'kubectl create namespace istio-ztunnel',
  'helm install istiod ./charts/istiod -n istio-system -f values/demo/istiod.yaml',
] as const;
