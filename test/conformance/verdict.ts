/**
 * Judging a conformance run: every failure must be a listed known difference (and every listed
 * difference must still fail), the report must agree with the per-test results, and each
 * profile's counts must equal Istio's published ones less the tests the pinned skip list skips.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ConformanceResult, Counts, ISTIO_PUBLISHED, Level, reportDisagreements } from './suite';

export interface KnownDifference {
  readonly test: string;
  readonly cause: string;
}

export const KNOWN_DIFFERENCES_FILE = join(__dirname, 'known-differences.yaml');

export function knownDifferences(file = KNOWN_DIFFERENCES_FILE): KnownDifference[] {
  const doc = YAML.parse(readFileSync(file, 'utf8')) as { differences?: KnownDifference[] };
  for (const d of doc.differences ?? []) {
    if (!d.test || !d.cause) throw new Error(`${file}: every entry needs a test and its cause, got ${JSON.stringify(d)}`);
  }
  return doc.differences ?? [];
}

export interface Verdict {
  /** Why the run does not match Istio's published result; empty when it does. */
  readonly problems: string[];
  /** The table: per profile, ours beside Istio's published result. */
  readonly table: string;
}

const fmt = (c: Counts | undefined) => (c ? `${c.passed}/${c.failed}/${c.skipped}` : '-');

/**
 * `complete`: the run was the whole suite, so a listed difference whose test did not run at all
 * is stale too (a partial run judges only the entries of what it ran).
 */
export function judge(result: ConformanceResult, options: { coreOnly?: boolean; complete?: boolean; known?: KnownDifference[] } = {}): Verdict {
  const known = options.known ?? knownDifferences();
  const problems: string[] = [];
  const failed = result.tests.filter((t) => t.outcome === 'fail');
  for (const t of failed) {
    if (!known.some((k) => k.test === t.name)) problems.push(`${t.name} failed:\n${t.output.split('\n').filter((l) => /Error|error|expected|fail/i.test(l)).slice(-6).join('\n')}`);
  }
  const ran = new Set(result.tests.map((t) => t.name));
  for (const k of known) {
    if (ran.has(k.test) && !failed.some((t) => t.name === k.test)) problems.push(`${k.test} is listed in known-differences.yaml but no longer fails: remove the entry`);
    else if (options.complete && !ran.has(k.test)) problems.push(`${k.test} is listed in known-differences.yaml but the whole suite has no such test: remove the entry`);
  }
  problems.push(...reportDisagreements(result.tests, result.profiles));
  if (result.tests.length === 0) problems.push('the suite ran no tests');
  if (result.exitCode !== 0 && failed.length === 0) problems.push(`the suite exited ${result.exitCode} with no failed test: see its output`);

  const levels: Level[] = options.coreOnly ? ['core'] : ['core', 'extended'];
  const skipList = Object.keys(result.config.skipTests);
  for (const p of result.profiles) {
    const published = ISTIO_PUBLISHED[p.name];
    if (!published) continue;
    for (const level of levels) {
      const ours = p[level];
      if (!ours) {
        problems.push(`${p.name} has no ${level} result in the report`);
        continue;
      }
      const unexpectedSkips = ours.skippedTests.filter((t) => !skipList.includes(t));
      if (unexpectedSkips.length) problems.push(`${p.name} ${level} skipped tests outside the pinned skip list: ${unexpectedSkips.join(', ')}`);
      const knownFailed = ours.failedTests.filter((t) => known.some((k) => k.test === t)).length;
      if (ours.passed + ours.skipped + knownFailed !== published[level]) {
        problems.push(`${p.name} ${level}: ${ours.passed} passed + ${ours.skipped} skipped (pinned skip list) + ${knownFailed} known differences, but Istio's report passes ${published[level]}`);
      }
    }
  }
  const rows = [['profile', 'core p/f/s', 'extended p/f/s', "Istio 1.31's report (core + extended passed)"]];
  for (const p of result.profiles) {
    const published = ISTIO_PUBLISHED[p.name];
    rows.push([p.name, fmt(p.core), options.coreOnly ? '(not run)' : fmt(p.extended), published ? `${published.core} + ${published.extended}` : '-']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd()).join('\n');
  return { problems, table };
}
