/**
 * Bad input fails planInstall with an InputError whose one-line message names the offending
 * path; istioctl rejects the same input wherever it has a rule for it (the unsupported cases
 * are ones it silently accepts).
 */
import { join } from 'path';
import { InputError, planInstall, renderPlan } from '../../src/operator';
import { CORPUS, istioctlError } from './support';

const bad = (f: string) => join(CORPUS, 'bad', f);

/** [file, path named, message, whether istioctl rejects it too] */
const FILES: Array<[string, string, RegExp, boolean]> = [
  ['malformed.yaml', bad('malformed.yaml'), /^malformed YAML: /, true],
  ['multiple-documents.yaml', bad('multiple-documents.yaml'), /^contains multiple IstioOperator CRs, only one per file is supported$/, true],
  ['unknown-field.yaml', 'spec.components.ingressGateways[0].k8s.replicas', /^unknown field; did you mean replicaCount\? \(in .*unknown-field\.yaml\)$/, true],
  ['unknown-k8s-field.yaml', 'spec.components.pilot.k8s.affinity.nodeAffinity.requiredDuringScheduling', /^unknown field; did you mean requiredDuringSchedulingIgnoredDuringExecution\?/, true],
  ['bad-type.yaml', 'spec.components.pilot.k8s.podAnnotations["example.com/enabled"]', /^expected a string, got a boolean \(true\)/, true],
  ['unknown-profile.yaml', 'spec.profile', /^unknown profile "production"; valid profiles: default, demo, minimal, remote, empty, preview, ambient, stable/, true],
  ['unknown-values-key.yaml', 'spec.values.pilot.replicas', /^unknown field; did you mean replicaCount\?/, true],
  ['istiod-remote.yaml', 'spec.components.istiodRemote', /^unsupported: istiodRemote is not a component/, false],
  // istioctl patches spec.replicas into the DaemonSet, which the apiserver then refuses
  ['daemonset-replicas.yaml', 'spec.components.ztunnel.k8s.replicaCount', /^unsupported: a DaemonSet runs one pod per node; it has no replica count/, false],
  ['cni-unknown-value.yaml', 'spec.values.cni.repair.deletePod', /^unknown field; did you mean deletePods\?/, true],
  ['volumes.yaml', 'spec.components.pilot.k8s.volumes', /^unsupported: istioctl never applies k8s\.volumes/, false],
];

/** [--set flags, path named, message, whether istioctl rejects it too] */
const SETS: Array<[string[], string, RegExp, boolean]> = [
  [['components.pilot.k8s.replicas=3'], 'spec.components.pilot.k8s.replicas', /^unknown field; did you mean replicaCount\? \(in --set components\.pilot\.k8s\.replicas=3\)$/, true],
  // Go's JSON decoding matches field names regardless of case, so istioctl takes this one
  [['meshconfig.accessLogFile=/dev/stdout'], 'spec.meshconfig', /^unknown field; did you mean meshConfig\?/, false],
  [['components.pilot.k8s.replicaCount=many'], 'spec.components.pilot.k8s.replicaCount', /^expected an integer, got a string \("many"\)/, true],
  [['values.pilot.autoscaleEnabled=maybe'], 'spec.values.pilot.autoscaleEnabled', /^expected boolean, got "maybe"/, true],
  [['profile=bogus'], 'spec.profile', /^unknown profile "bogus"; valid profiles: default, demo/, true],
  [['values.pilot.replicas=2'], 'spec.values.pilot.replicas', /^unknown field; did you mean replicaCount\?/, true],
  // istioctl renders a Deployment named "" here
  [['components.ingressGateways[0].k8s.replicaCount=3'], 'spec.components.ingressGateways[0].name', /^required: every enabled gateway needs a name/, false],
];

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe.each(FILES)('-f %s', (file, path, message, istioctlRejects) => {
  test('is an InputError naming the path, in one line', () => {
    const e = inputError(() => planInstall({ files: [bad(file)], sets: [] }));
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message.slice(path.length + 2)).toMatch(message);
    expect(e.message).not.toContain('\n');
  });

  test(istioctlRejects ? 'istioctl rejects it too' : 'istioctl accepts it (what we reject is unsupported here)', () => {
    expect(istioctlError([bad(file)]) !== '').toBe(istioctlRejects);
  });
});

describe.each(SETS.map(([sets, ...rest]) => [sets.join(' '), sets, ...rest] as const))('--set %s', (_name, sets, path, message, istioctlRejects) => {
  test('is an InputError naming the path, in one line', () => {
    const e = inputError(() => planInstall({ files: [], sets }));
    expect(e.path).toBe(path);
    expect(e.message.slice(path.length + 2)).toMatch(message);
    expect(e.message).not.toContain('\n');
  });

  test(istioctlRejects ? 'istioctl rejects it too' : 'istioctl accepts it', () => {
    expect(istioctlError([], sets) !== '').toBe(istioctlRejects);
  });
});

test('a file that does not exist is an InputError naming it', () => {
  expect(() => planInstall({ files: ['/nonexistent/iop.yaml'], sets: [] })).toThrow(/^\/nonexistent\/iop\.yaml: cannot read: /);
});

test('a file of another kind is an InputError naming kind', () => {
  const e = inputError(() => planInstall({ files: [join(CORPUS, '..', 'fixtures', 'deployment.yaml')], sets: [] }));
  expect(e.path).toBe('kind');
});

test('a value only the chart schema can judge (an enum) passes planInstall and fails renderPlan naming the key', async () => {
  const plan = planInstall({ files: [], sets: ['profile=minimal', 'values.pilot.variant=bogus'] });
  await expect(renderPlan(plan)).rejects.toThrow('spec.values.pilot.variant: must be one of "", "debug", "distroless", got "bogus" (in --set values.pilot.variant=bogus)');
});
