/**
 * The parallel builder's scheduling, with stand-in jobs whose "build" is a shell command that
 * records when it ran: what is built already is skipped, a job waits for those it comes after,
 * no more than the slots compile at once, a download takes no slot, and a failure names the
 * job, its output and the jobs that could not be built after it.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startingBuild } from '../../src/tools/go';
import { BuildJob, buildMissing } from '../../src/tools/parallel-build';

interface Fake {
  readonly name: string;
  readonly after?: string[];
  readonly download?: boolean;
  readonly built?: boolean;
  readonly fails?: boolean;
}

function setup(fakes: Fake[]) {
  const dir = mkdtempSync(join(tmpdir(), 'parallel-build-'));
  const events = join(dir, 'events');
  writeFileSync(events, '');
  for (const f of fakes) if (f.built) writeFileSync(join(dir, f.name), '');
  const jobs: BuildJob[] = fakes.map((f) => ({
    name: f.name,
    after: f.after,
    download: f.download,
    locate: () => {
      if (!existsSync(join(dir, f.name))) startingBuild(f.name);
    },
  }));
  const byName = new Map(fakes.map((f) => [f.name, f]));
  const child = (name: string) => ({
    command: 'sh',
    args: ['-c', `echo "start ${name}" >> ${events}; sleep 0.3; echo "end ${name}" >> ${events}; ${byName.get(name)!.fails ? `echo "${name}: module not found" >&2; exit 1` : `touch ${join(dir, name)}`}`],
  });
  const lines: string[] = [];
  const run = (slots: number) => buildMissing(jobs, { slots, child, log: (l) => lines.push(l) });
  const order = () => readFileSync(events, 'utf8').trim().split('\n').filter(Boolean);
  /** The most jobs of `names` running at once. */
  const peak = (names: Set<string>) => {
    let now = 0;
    let most = 0;
    for (const e of order()) {
      const [what, name] = e.split(' ');
      if (!names.has(name)) continue;
      now += what === 'start' ? 1 : -1;
      most = Math.max(most, now);
    }
    return most;
  };
  return { run, order, peak, lines };
}

test('builds only what is missing, each after what it waits for, no more than the slots at once', async () => {
  const s = setup([{ name: 'a' }, { name: 'b' }, { name: 'c', after: ['a'] }, { name: 'd' }, { name: 'e', built: true }, { name: 'f', after: ['e'] }]);
  const timings = await s.run(2);
  expect(timings.map((t) => t.name).sort()).toEqual(['a', 'b', 'c', 'd', 'f']);
  const order = s.order();
  expect(order).not.toContain('start e');
  expect(order.indexOf('start c')).toBeGreaterThan(order.indexOf('end a'));
  expect(s.peak(new Set(['a', 'b', 'c', 'd', 'f']))).toBe(2);
  // one progress line per binary, with its time
  expect(s.lines.filter((l) => /^ {2}built \S+ +\d+ s/.test(l))).toHaveLength(5);
});

test('a download runs beside the compiles, taking no slot', async () => {
  const s = setup([{ name: 'a' }, { name: 'b' }, { name: 'pip', download: true }]);
  await s.run(1);
  expect(s.peak(new Set(['a', 'b']))).toBe(1);
  expect(s.peak(new Set(['a', 'b', 'pip']))).toBe(2);
});

test('nothing to build: no child, no line', async () => {
  const s = setup([{ name: 'a', built: true }]);
  expect(await s.run(2)).toEqual([]);
  expect(s.lines).toEqual([]);
  expect(s.order()).toEqual([]);
});

test('a failure names the job, its output, and what could not be built after it', async () => {
  const s = setup([{ name: 'a', fails: true }, { name: 'b', after: ['a'] }, { name: 'c' }]);
  await expect(s.run(2)).rejects.toThrow(/could not build a, b:\n--- a\n.*a: module not found[\s\S]*--- b\nnot built: a failed first/);
  // the independent job still finished
  expect(s.order()).toContain('end c');
  expect(s.order()).not.toContain('start b');
});
