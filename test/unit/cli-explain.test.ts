/** The events an install's timeout explanation shows: distinct ones, repeats counted, newest last. */
import { eventLines } from '../../src/cli/install/readiness';

const refused = (pod: string, at: string, extra: Partial<{ count: number; combined: boolean }> = {}) => ({
  metadata: {},
  involvedObject: { kind: 'DaemonSet', name: 'istio-cni-node' },
  type: 'Warning',
  reason: 'FailedCreate',
  message: `${extra.combined ? '(combined from similar events): ' : ''}Error creating: pods "istio-cni-node-${pod}" is forbidden: violates PodSecurity "baseline:latest"`,
  lastTimestamp: at as unknown as Date,
  count: extra.count,
});

test('a controller retrying with generated pod names is one line, its repeats counted, in its newest wording', () => {
  const lines = eventLines([
    refused('xw9md', '2026-12-02T01:00:03Z'),
    refused('2h5vw', '2026-12-02T01:00:01Z'),
    { metadata: {}, involvedObject: { kind: 'DaemonSet', name: 'istio-cni-node' }, type: 'Warning', reason: 'Other', message: 'something else', lastTimestamp: '2026-12-02T01:00:02Z' as unknown as Date },
    refused('hv6jb', '2026-12-02T01:00:04Z', { combined: true, count: 3 }),
  ], 8);
  expect(lines).toEqual([
    'event Warning Other on DaemonSet/istio-cni-node: something else',
    'event Warning FailedCreate on DaemonSet/istio-cni-node (5 times): Error creating: pods "istio-cni-node-hv6jb" is forbidden: violates PodSecurity "baseline:latest"',
  ]);
});

test('different messages stay apart, and only the newest `limit` are kept', () => {
  const lines = eventLines([
    { metadata: {}, involvedObject: { kind: 'Pod', name: 'a' }, type: 'Warning', reason: 'BackOff', message: 'one', lastTimestamp: '2026-12-02T01:00:01Z' as unknown as Date },
    { metadata: {}, involvedObject: { kind: 'Pod', name: 'a' }, type: 'Warning', reason: 'BackOff', message: 'two', lastTimestamp: '2026-12-02T01:00:02Z' as unknown as Date },
    { metadata: {}, involvedObject: { kind: 'Pod', name: 'a' }, type: 'Warning', reason: 'BackOff', message: 'three', lastTimestamp: '2026-12-02T01:00:03Z' as unknown as Date },
  ], 2);
  expect(lines).toEqual(['event Warning BackOff on Pod/a: two', 'event Warning BackOff on Pod/a: three']);
});
