/**
 * The cni agent's repair controller on the local cluster. A pod injected for CNI capture
 * (`pilot.cni.enabled=true`) that started while no agent had chained the plugin has no
 * redirection, so its istio-validation init container exits 126 and crash-loops. The agent
 * finds such pods on its node by that status: with `repair.deletePods` it deletes the pod, and
 * the replacement gets its rules from the plugin; with `repair.labelPods` it labels it.
 *
 * The chart's default, `repair.repairPods` (the rules written into the running pod), is not
 * tried: the agent first enters the host's network namespace through /host/proc/1/ns/net, and on
 * this machine PID 1 is the VM's init, whose namespace no process here may open, root included.
 */
import { waitFor } from '../../src/cluster/control-plane';
import { sleep } from '../../src/cluster/samples';
import { createNamespace, installIstio, mustHelm, useControlPlane } from '../support/cluster';
import { CNI_NAMESPACE, PRIVILEGED, chainedPlugins, installCniAgent, natRules } from '../support/cni';

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster, ['--set', 'pilot.cni.enabled=true']);
  await createNamespace(cluster.cp, CNI_NAMESPACE, PRIVILEGED);
  await createNamespace(cluster.cp, 'early', { 'istio-injection': 'enabled' });
  cluster.cp.apply(sleep({ namespace: 'early' }));
});

const validation = (pod: any) => pod.status?.initContainerStatuses?.find((s: any) => s.name === 'istio-validation');

/** The namespace's sleep pod once its istio-validation has failed as upstream's repair looks for (exit 126). */
async function brokenPod(namespace: string): Promise<any> {
  return waitFor(`a crash-looping istio-validation in ${namespace}`, 90_000, async () => {
    const [pod] = (await c.cp.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=app%3Dsleep`)).items;
    return validation(pod)?.lastState?.terminated?.exitCode === 126 ? pod : undefined;
  }, () => c.cluster.logTail());
}

test('without an agent, istio-validation finds no redirection, exits 126 and crash-loops, reported as a kubelet reports it', async () => {
  expect(chainedPlugins(c)).toEqual(['local-node']);
  const pod = await brokenPod('early');
  const s = validation(pod);
  expect(s.restartCount).toBeGreaterThanOrEqual(1);
  expect(pod.status.conditions.find((x: any) => x.type === 'Initialized').status).toBe('False');
  expect(natRules((await c.cluster.podOnNode('early', pod.metadata.name))!.netns)).not.toContain('ISTIO');
});

test('an agent with repair.deletePods deletes the broken pod; its replacement gets the rules from the plugin', async () => {
  const broken = await brokenPod('early');
  await installCniAgent(c, ['--set', 'repair.repairPods=false', '--set', 'repair.deletePods=true']);
  await c.cluster.waitForRollout('early', 'sleep');
  const [pod] = await c.cluster.runningPods('early', 'app=sleep');
  expect(pod.metadata.uid).not.toBe(broken.metadata.uid);
  expect(validation(pod).state.terminated.exitCode).toBe(0);
  const events = (await c.cp.get(`/api/v1/namespaces/early/events?fieldSelector=involvedObject.name%3D${broken.metadata.name}`)).items;
  expect(events.map((e: any) => `${e.reason}: ${e.message}`)).toContain('DeleteBrokenPod: pod detected as broken, deleted');
  const node = (await c.cluster.podOnNode('early', pod.metadata.name))!;
  expect(node.cni?.plugins).toEqual(['istio-cni']);
  expect(natRules(node.netns)).toMatch(/-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001/);
});

test('a stopped agent takes its plugin out of the chain; an agent with repair.labelPods labels a pod started meanwhile', async () => {
  mustHelm(c.cp, ['uninstall', 'istio-cni', '-n', CNI_NAMESPACE, '--wait', '--timeout', '2m']);
  await waitFor('istio-cni taken out of the chain', 60_000, async () => (chainedPlugins(c).includes('istio-cni') ? undefined : true), () => c.cluster.logTail());
  await createNamespace(c.cp, 'late', { 'istio-injection': 'enabled' });
  c.cp.apply(sleep({ namespace: 'late' }));
  const broken = await brokenPod('late');
  expect(broken.metadata.labels['cni.istio.io/uninitialized']).toBeUndefined();
  await installCniAgent(c, ['--set', 'repair.repairPods=false', '--set', 'repair.labelPods=true']);
  const labelled = await waitFor('the broken pod labelled', 60_000, async () => {
    const pod = await c.cp.get(`/api/v1/namespaces/late/pods/${broken.metadata.name}`);
    return pod?.metadata?.labels?.['cni.istio.io/uninitialized'] === 'true' ? pod : undefined;
  }, () => c.cluster.logTail());
  // labelled, not deleted: the same pod, still waiting for its redirection
  expect(labelled.metadata.uid).toBe(broken.metadata.uid);
  // the agent records the event after the label, from its recorder's background queue
  const events = await waitFor('the LabelBrokenPod event', 30_000, async () => {
    const found = (await c.cp.get(`/api/v1/namespaces/late/events?fieldSelector=involvedObject.name%3D${broken.metadata.name}`)).items.map((e: any) => `${e.reason}: ${e.message}`);
    return found.some((e: string) => e.startsWith('LabelBrokenPod')) ? found : undefined;
  });
  expect(events).toContain('LabelBrokenPod: pod detected as broken, labeled');
});
