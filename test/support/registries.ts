/**
 * Chart registries on loopback for the release tests: the CNCF distribution registry (OCI) and
 * a classic Helm repository (a directory served over HTTP). Both run as child processes, since
 * the tests drive helm with spawnSync, which blocks this process's event loop.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';
import { registryBinary } from '../../src/tools/registry';

export interface Served {
  /** host:port on 127.0.0.1. */
  readonly address: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function untilAnswers(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The distribution registry, plain HTTP on 127.0.0.1, storing under `dir`. */
export async function startRegistry(dir: string): Promise<Served> {
  const port = await freePort();
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  // no telemetry exporter: the registry's OpenTelemetry setup would otherwise look for a collector
  const child = spawn(registryBinary(), ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const stop = stopper(child);
  try {
    await untilAnswers(`http://127.0.0.1:${port}/v2/`, child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { address: `127.0.0.1:${port}`, stop };
}

/** Serves `dir`'s files (GET only) on a free port of 127.0.0.1, as a classic chart repository is served. */
const STATIC_SERVER = `
const http = require('http'), fs = require('fs'), path = require('path');
const root = path.resolve(process.argv[1]);
const server = http.createServer((req, res) => {
  const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (req.method !== 'GET' || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export async function serveDirectory(dir: string): Promise<Served> {
  const child = spawn(process.execPath, ['-e', STATIC_SERVER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log += d));
  const stop = stopper(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`the file server exited (${code}):\n${log}`)));
  });
  await untilAnswers(`http://127.0.0.1:${port}/index.yaml`, child, () => log);
  return { address: `127.0.0.1:${port}`, stop };
}
