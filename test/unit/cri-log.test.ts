/** The node's container logs in the CRI format the kubelet API's log reader (k8s.io/cri-client) parses. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CriLog } from '../../src/cluster/node/cri-log';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cri-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CRI_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([FP]) (.*)$/;
const records = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => {
  const m = CRI_LINE.exec(l);
  if (!m) throw new Error(`not a CRI log line: ${l}`);
  return [m[2], m[3], m[4]];
});

test('one record per line, with time, stream and the full-line tag; a fragment waits for its end, per stream', () => {
  const path = join(dir, '0.log');
  const log = new CriLog(path);
  log.write('stdout', 'one\ntw');
  log.write('stderr', 'err\n');
  log.write('stdout', 'o\nthree');
  log.close();
  expect(records(path)).toEqual([['stdout', 'F', 'one'], ['stderr', 'F', 'err'], ['stdout', 'F', 'two'], ['stdout', 'F', 'three']]);
});

test('a line past 16 KiB is cut into partial records, as containerd cuts it', () => {
  const path = join(dir, '0.log');
  const log = new CriLog(path);
  log.write('stdout', `${'x'.repeat(16 * 1024 + 10)}\n`);
  log.close();
  expect(records(path).map(([, tag, text]) => [tag, text.length])).toEqual([['P', 16 * 1024], ['F', 10]]);
});

test('past its bound the file is rotated to .1 (replacing the one before) and a new one begins', () => {
  const path = join(dir, '0.log');
  // 68 bytes a record: four fit
  const log = new CriLog(path, 300);
  for (let i = 0; i < 6; i++) log.write('stdout', `line ${i} ${'-'.repeat(20)}\n`);
  log.close();
  expect(existsSync(`${path}.1`)).toBe(true);
  const all = [...records(`${path}.1`), ...records(path)].map(([, , text]) => text.split(' ')[1]);
  expect(all).toEqual(['0', '1', '2', '3', '4', '5']);
  expect(records(`${path}.1`)).toHaveLength(4);
  expect(readFileSync(path).length).toBeLessThanOrEqual(300);
});
