/**
 * A helm failure reaches the user whole: the CLI's helm runner keeps every line of helm's
 * error (a schema failure's reasons are on the lines after the first), dropping only the
 * warnings helm printed before it. helm here is a stand-in script that fails as helm does.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const dir = mkdtempSync(join(tmpdir(), 'fake-helm-'));
const STDERR = [
  'WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /tmp/kubeconfig',
  "Error: UPGRADE FAILED: values don't meet the specifications of the schema(s) in the following chart(s):",
  'istiod:',
  "- at '/pilot/autoscaleMin': minimum: got -1, want 0",
];
const fake = join(dir, 'helm');
writeFileSync(fake, `#!/bin/sh\ncat >&2 <<'EOF'\n${STDERR.join('\n')}\nEOF\nexit 1\n`);
chmodSync(fake, 0o755);
process.env.HELM = fake;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { helm } = require('../../src/cli/helm') as typeof import('../../src/cli/helm');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { helmReason } = require('../../src/operator/render') as typeof import('../../src/operator/render');

test("helm's whole reason, from its Error line on, with the lines that name the key", async () => {
  await expect(helm(['upgrade', '--install', 'istiod', '.'])).rejects.toThrow(
    new Error(`helm upgrade: ${STDERR.slice(1).join('\n').replace(/^Error: /, '')}`),
  );
});

test('without an Error line, all of stderr; without stderr, the fallback', () => {
  expect(helmReason('first\nsecond\n', 'exit 1')).toBe('first\nsecond');
  expect(helmReason('', 'exit 1')).toBe('exit 1');
});
