/**
 * An install's timeout explanation: the events it shows (distinct ones, repeats counted, newest
 * last), and a pod whose containers are ready but whose node is not.
 */
import type { Kube } from '../../src/cli/kube';
import { eventLines, explain } from '../../src/cli/install/readiness';

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

describe('a pod whose containers are all ready but which is not', () => {
  // a cluster of one DaemonSet pod, on a node that stopped sending heartbeats
  const pod = {
    metadata: { name: 'istio-cni-node-abcde' },
    spec: { nodeName: 'kwok-node' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'install-cni', ready: true, restartCount: 0 }],
    },
  };
  const node = (status: string) => ({ status: { conditions: [{ type: 'Ready', status, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] } });
  const kube = (nodeStatus: string) => ({
    objects: { read: async () => ({ status: { conditions: [] }, spec: { selector: { matchLabels: { 'k8s-app': 'istio-cni-node' } } } }) },
    core: {
      listNamespacedPod: async () => ({ items: [pod] }),
      readNode: async () => node(nodeStatus),
      listNamespacedEvent: async () => ({ items: [] }),
    },
    apps: { listNamespacedReplicaSet: async () => ({ items: [] }) },
  }) as unknown as Kube;
  const pending = { ref: 'DaemonSet/istio-system/istio-cni-node', waitingFor: '1/2 pods ready', object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'istio-cni-node', namespace: 'istio-system' } } } as any;

  test('is said to be not Ready, on a node that is unreachable, with the node\'s reason', async () => {
    expect(await explain(kube('Unknown'), pending)).toEqual([
      'DaemonSet/istio-system/istio-cni-node: 1/2 pods ready',
      'pod istio-cni-node-abcde: Running, not Ready, on node kwok-node, which is unreachable: NodeStatusUnknown (Kubelet stopped posting node status.)',
    ]);
  });

  test('on a Ready node, only the pod is named', async () => {
    expect((await explain(kube('True'), pending))[1]).toBe('pod istio-cni-node-abcde: Running, not Ready');
  });
});
