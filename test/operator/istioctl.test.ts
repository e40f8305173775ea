/**
 * planInstall + renderPlan against the pinned `istioctl manifest generate`, for every
 * IstioOperator file of the corpus and a few `--set`-only cases: the same objects (kind,
 * namespace, name) for everything istioctl renders, each equal field by field but for the
 * accepted differences of support.ts (gateways are compared on what our gateway chart
 * reproduces of the legacy ones).
 */
import { join } from 'path';
import { KubeObject, planInstall, renderPlan } from '../../src/operator';
import { AcceptedDifferences, CORPUS, Case, SAME_IMAGES, byIdentity, goodFiles, istioctlGenerate } from './support';

const CASES: Case[] = [
  ...goodFiles().map((f) => ({ name: f, files: [join(CORPUS, 'good', f)], sets: [] })),
  { name: '--set profile=demo', files: [], sets: ['profile=demo'] },
  { name: '--set values and meshConfig', files: [], sets: ['values.global.proxy.resources.requests.cpu=50m', 'meshConfig.accessLogFile=/dev/stdout', 'values.pilot.env.FOO=bar'] },
  { name: '--set components.ingressGateways[0].enabled=false', files: [], sets: ['components.ingressGateways[0].enabled=false'] },
  { name: '-r green with the demo profile', files: [], sets: ['profile=demo'], revision: 'green' },
  // istioctl's combined profiles: the CNI agent (and ztunnel) in kube-system, with OpenShift's paths
  { name: '--set profile=openshift', files: [], sets: ['profile=openshift'] },
  { name: '--set profile=openshift-ambient', files: [], sets: ['profile=openshift-ambient'] },
  {
    name: '--set into a file\'s gateway list',
    files: [join(CORPUS, 'good', 'two-ingress-namespaces.yaml')],
    sets: ['components.ingressGateways[1].k8s.replicaCount=2', 'components.ingressGateways[name:istio-ingressgateway].enabled=false', 'revision=blue'],
  },
];

const accepted = new AcceptedDifferences();
let compared = 0;

describe.each(CASES.map((c) => [c.name, c] as const))('%s vs istioctl manifest generate', (_name, c) => {
  let ours: KubeObject[];
  let theirs: KubeObject[];
  beforeAll(async () => {
    ours = await renderPlan(planInstall({ files: c.files, sets: [...SAME_IMAGES, ...c.sets], revision: c.revision }));
    theirs = istioctlGenerate(c);
  });

  test('the same objects (kind, namespace, name)', () => {
    expect(accepted.identities(ours, 'ours')).toEqual(accepted.identities(theirs, 'theirs'));
  });

  test('each object is equal, apart from the accepted differences', () => {
    const mine = byIdentity(ours);
    const diffs = [...byIdentity(theirs)].filter(([id]) => mine.has(id)).flatMap(([id, o]) => accepted.compare(id, mine.get(id), o));
    compared++;
    expect(diffs).toEqual([]);
  });
});

// last: only a full run can tell (a run filtered with -t skips it)
test('every accepted difference is still needed', () => {
  if (compared < CASES.length) return;
  expect(accepted.unused()).toEqual([]);
});

test('the corpus has at least 15 IstioOperator files', () => {
  expect(goodFiles().length).toBeGreaterThanOrEqual(15);
});
