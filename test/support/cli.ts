/** The istio-charts CLI run as users run it: a process of its own, against a cluster's kubeconfig. */
import { spawn } from 'child_process';
import { join } from 'path';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

const BIN = join(__dirname, '..', '..', 'bin', 'istio-charts.js');

export function cli(args: string[], opts: { kubeconfig?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : []), ...args], {
      env: { ...process.env, KUBECONFIG: opts.kubeconfig ?? '/nonexistent', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
