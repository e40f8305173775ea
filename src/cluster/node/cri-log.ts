/**
 * A container instance's log as a container runtime writes it for the kubelet (the CRI log
 * format): one line per output line, `<RFC 3339 time> <stdout|stderr> <F|P> <text>`, P marking a
 * line cut because it grew past MAX_LINE. The kubelet API reads it with k8s.io/cri-client's
 * ReadLogs, so `kubectl logs` gets timestamps, since, tail and limit as on any node.
 *
 * Bounded as the kubelet bounds it: past maxBytes the file is renamed to `<file>.1` (replacing
 * the one before) and a new one begins; a follower reopens it on creation.
 */
import { closeSync, openSync, renameSync, statSync, writeSync } from 'fs';
import type { OutputSink } from '../processes';

type Stream = 'stdout' | 'stderr';

/** A line longer than this is written in parts, as containerd cuts them. */
const MAX_LINE = 16 * 1024;
/** The kubelet's default containerLogMaxSize. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** The runtimes' fixed-width RFC 3339 time (nine fraction digits; the clock gives milliseconds). */
function timestamp(): string {
  return new Date().toISOString().replace(/Z$/, '000000Z');
}

export class CriLog implements OutputSink {
  private fd: number;
  private size: number;
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };

  constructor(readonly path: string, private readonly maxBytes = MAX_LOG_BYTES) {
    this.fd = openSync(path, 'a');
    this.size = statSync(path).size;
  }

  /** Output of the container; complete lines are written at once, a trailing fragment waits for its end. */
  write(stream: Stream, chunk: Buffer | string): void {
    const lines = (this.partial[stream] + String(chunk)).split('\n');
    const rest = lines.pop()!;
    for (const line of lines) this.line(stream, 'F', this.cut(stream, line));
    this.partial[stream] = this.cut(stream, rest);
  }

  /** The container's streams closed: what is left is its last line. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream]) this.line(stream, 'F', this.partial[stream]);
    closeSync(this.fd);
  }

  /** Writes all but the last MAX_LINE characters of a long line as partial records; returns the rest. */
  private cut(stream: Stream, text: string): string {
    while (text.length > MAX_LINE) {
      this.line(stream, 'P', text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    return text;
  }

  private line(stream: Stream, tag: 'F' | 'P', text: string): void {
    const record = Buffer.from(`${timestamp()} ${stream} ${tag} ${text}\n`);
    if (this.size + record.length > this.maxBytes && this.size > 0) this.rotate();
    writeSync(this.fd, record);
    this.size += record.length;
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
