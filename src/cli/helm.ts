/**
 * helm, the CLI's install engine: one release per component. Which helm: see helmPath
 * ($HELM, else the project's dev helm v4, else `helm` on the PATH).
 */
import { execFile } from 'child_process';
import { helmReason } from '../operator/render';
import { helmPath } from '../tools/helm-path';

export { helmPath };

export interface HelmResult {
  stdout: string;
  stderr: string;
}

/** Runs helm; a non-zero exit rejects with helm's whole reason (never only its first or last line). */
export function helm(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      helmPath(),
      args,
      { env: { ...process.env, ...opts.env }, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 15 * 60_000 },
      (err, stdout, stderr) => {
        if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
          reject(new Error(`helm was not found (${helmPath()}): put helm 3 or 4 on the PATH, or set HELM to its path`));
        } else if (err) {
          reject(new Error(`helm ${args[0]}: ${helmReason(stderr, err.message)}`));
        } else resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
