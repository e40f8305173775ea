/**
 * planInstall's semantics: releases per profile and component, enablement rules, precedence of
 * profile < files < --set, routing of spec.values to the charts, k8s fields as chart values
 * (patches only where no value exists), and convertOperator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InstallPlan, convertOperator, manifestYaml, parseManifest, planInstall, sortLikeIstioctl } from '../../src/operator';

const plan = (sets: string[], ...docs: string[]): InstallPlan => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-test-'));
  try {
    const files = docs.map((d, i) => {
      const f = join(dir, `${i}.yaml`);
      writeFileSync(f, d);
      return f;
    });
    return planInstall({ files, sets });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const release = (p: InstallPlan, name: string) => {
  const r = p.releases.find((x) => x.release === name);
  if (!r) throw new Error(`no release ${name} in ${p.releases.map((x) => x.release).join(', ')}`);
  return r;
};
const names = (p: InstallPlan) => p.releases.map((r) => `${r.chart}:${r.release}@${r.namespace}`);
const iop = (spec: string) => `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

describe('releases by profile', () => {
  test.each([
    ['default', ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'gateway:istio-ingressgateway@istio-system']],
    ['demo', ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'gateway:istio-ingressgateway@istio-system', 'gateway:istio-egressgateway@istio-system']],
    ['minimal', ['base:istio-base@istio-system', 'istiod:istiod@istio-system']],
    ['remote', ['base:istio-base@istio-system', 'istiod:istiod@istio-system']],
    ['empty', []],
  ])('%s', (profile, expected) => {
    const p = plan([`profile=${profile}`]);
    expect(p.profile).toBe(profile);
    expect(names(p)).toEqual(expected);
  });

  test('the profile\'s chart values are laid under the user\'s (no profile= for the chart to apply)', () => {
    const demo = plan(['profile=demo']);
    expect(release(demo, 'istiod').values).toMatchObject({ pilot: { autoscaleEnabled: false, traceSampling: 100 }, meshConfig: { accessLogFile: '/dev/stdout' } });
    for (const r of demo.releases) expect([r.release, r.values.profile]).toEqual([r.release, undefined]);
    expect(release(demo, 'istio-ingressgateway').values).toMatchObject({ autoscaling: { enabled: false }, resources: { requests: { cpu: '10m', memory: '40Mi' } } });
    expect(release(plan(['profile=stable']), 'istio-base').values).toMatchObject({ experimental: { stableValidationPolicy: true } });
  });

  test('a user value beats the profile even where it equals the chart default', () => {
    const demo = plan(['profile=demo', 'values.pilot.autoscaleEnabled=true']);
    expect(release(demo, 'istiod').values).toMatchObject({ pilot: { autoscaleEnabled: true, traceSampling: 100 } });
  });
});

describe('enabled', () => {
  test('a gateway entry without enabled is on; enabled: false is off', () => {
    expect(names(plan([], iop('components:\n  egressGateways:\n  - name: istio-egressgateway')))).toContain('gateway:istio-egressgateway@istio-system');
    expect(names(plan([], iop('components:\n  ingressGateways:\n  - name: istio-ingressgateway\n    enabled: false')))).toEqual(['base:istio-base@istio-system', 'istiod:istiod@istio-system']);
  });

  test('a block without enabled keeps the profile\'s enabled (empty says false), as istioctl merges', () => {
    expect(names(plan([], iop('profile: empty\ncomponents:\n  pilot:\n    k8s:\n      replicaCount: 2')))).toEqual([]);
    expect(names(plan(['profile=empty', 'components.pilot.enabled=true']))).toEqual(['istiod:istiod@istio-system']);
  });

  test('values.gateways.istio-egressgateway.enabled=true forces the egress gateways on; false does nothing', () => {
    expect(names(plan(['values.gateways.istio-egressgateway.enabled=true']))).toContain('gateway:istio-egressgateway@istio-system');
    expect(names(plan(['profile=demo', 'values.gateways.istio-egressgateway.enabled=false']))).toContain('gateway:istio-egressgateway@istio-system');
  });
});

describe('precedence: profile < files left to right < --set in order', () => {
  const a = iop('values:\n  pilot:\n    traceSampling: 1\n    env:\n      A: a');
  const b = iop('values:\n  pilot:\n    traceSampling: 2');
  test('the later file wins, maps merge', () => {
    expect(release(plan([], a, b), 'istiod').values.pilot).toEqual({ traceSampling: 2, env: { A: 'a' } });
  });
  test('--set wins over files, the later flag over the earlier', () => {
    expect(release(plan(['values.pilot.traceSampling=3', 'values.pilot.traceSampling=4'], a, b), 'istiod').values.pilot).toEqual({ traceSampling: 4, env: { A: 'a' } });
  });
  test('a values file (no kind) is spec.values', () => {
    const p = planInstall({ files: [join(__dirname, 'fixtures', 'values.yaml')], sets: [] });
    expect(release(p, 'istiod').values).toMatchObject({ pilot: { env: { FROM_VALUES_FILE: 'yes' } }, global: { logAsJson: true } });
    expect(release(p, 'istio-base').values).toMatchObject({ global: { logAsJson: true } });
  });
});

describe('spec.values to the charts', () => {
  const p = plan(['values.global.logAsJson=true', 'values.pilot.env.X=y', 'values.base.excludedCRDs[0]=wasmplugins.extensions.istio.io', 'values.base.validationURL=https://x', 'values.gateways.istio-ingressgateway.autoscaleMax=9', 'values.sidecarInjectorWebhook.rewriteAppHTTPProbe=false']);
  test('global to every chart', () => {
    for (const r of p.releases) expect(r.values.global).toMatchObject({ logAsJson: true });
  });
  test('pilot and the injector to istiod only', () => {
    expect(release(p, 'istiod').values).toMatchObject({ pilot: { env: { X: 'y' } }, sidecarInjectorWebhook: { rewriteAppHTTPProbe: false } });
    expect(release(p, 'istio-base').values.pilot).toBeUndefined();
  });
  test('base keys to the charts that know them', () => {
    expect(release(p, 'istio-base').values.base).toEqual({ excludedCRDs: ['wasmplugins.extensions.istio.io'], validationURL: 'https://x' });
    expect(release(p, 'istiod').values.base).toEqual({ validationURL: 'https://x' });
  });
  test('legacy gateway keys as our gateway chart\'s', () => {
    expect(release(p, 'istio-ingressgateway').values).toMatchObject({ autoscaling: { maxReplicas: 9 } });
  });
});

describe('top-level fields and k8s', () => {
  test('hub, tag, revision, meshConfig (values.meshConfig wins), compatibilityVersion', () => {
    const p = plan(['hub=example.com/istio', 'tag=1.31.4', 'revision=canary', 'meshConfig.accessLogFile=/a', 'meshConfig.trustDomain=example.org', 'values.meshConfig.accessLogFile=/b', 'compatibilityVersion=1.28']);
    expect(p.revision).toBe('canary');
    const istiod = release(p, 'istiod-canary');
    expect(istiod.values).toMatchObject({ global: { hub: 'example.com/istio', tag: '1.31.4' }, revision: 'canary', meshConfig: { accessLogFile: '/b', trustDomain: 'example.org' }, compatibilityVersion: '1.28' });
    expect(release(p, 'istio-ingressgateway').values.revision).toBe('canary');
  });

  test('-r sets the revision, -r default none', () => {
    expect(planInstall({ files: [], sets: [], revision: 'blue' }).releases.map((r) => r.release)).toContain('istiod-blue');
    expect(planInstall({ files: [], sets: [], revision: 'default' }).revision).toBe('');
  });

  test('pilot k8s fields become chart values; fields without one become patches', () => {
    const p = plan(['profile=minimal', 'components.pilot.k8s.resources.requests.cpu=1', 'components.pilot.k8s.hpaSpec.maxReplicas=7', 'components.pilot.k8s.nodeSelector.zone=a',
      'components.pilot.k8s.readinessProbe.periodSeconds=9', 'components.pilot.k8s.env[0].name=PILOT_TRACE_SAMPLING', 'components.pilot.k8s.env[0].value=high']);
    const r = release(p, 'istiod');
    expect(r.values.pilot).toEqual({ resources: { requests: { cpu: 1 } }, autoscaleMax: 7, nodeSelector: { zone: 'a' } });
    expect(r.overlays.map((o) => o.source)).toEqual(['spec.components.pilot.k8s.env', 'spec.components.pilot.k8s.readinessProbe']);
  });

  test('replicaCount while autoscaling is a warning and a patch, as istioctl keeps both', () => {
    const p = plan(['components.pilot.k8s.replicaCount=3']);
    expect(p.warnings.join('\n')).toMatch(/spec\.components\.pilot\.k8s\.replicaCount is set while autoscaling is on/);
    expect(release(p, 'istiod').overlays).toEqual([{ source: 'spec.components.pilot.k8s.replicaCount', kind: 'Deployment', name: 'istiod', merge: { spec: { replicas: 3 } } }]);
    expect(plan(['components.pilot.k8s.replicaCount=3', 'values.pilot.autoscaleEnabled=false']).warnings).toEqual([]);
  });

  test('metadata.namespace and spec.namespace are ignored with a warning, as istioctl ignores them', () => {
    const p = plan([], 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  namespace: mesh\nspec:\n  namespace: other\n');
    expect(p.namespace).toBe('istio-system');
    expect(p.warnings).toEqual([expect.stringMatching(/^metadata\.namespace mesh is ignored/), expect.stringMatching(/^spec\.namespace is ignored/)]);
    expect(plan(['values.global.istioNamespace=mesh']).releases.every((r) => r.namespace === 'mesh')).toBe(true);
  });
});

test('two gateways of one namespace with the same labels are warned about', () => {
  const two = (label: string) => plan([], iop(`components:\n  ingressGateways:\n  - name: a\n  - name: b${label}`));
  expect(two('').warnings).toEqual([expect.stringMatching(/^gateways a and b in namespace istio-system have the same labels \(app=istio-ingressgateway, istio=ingressgateway\)/)]);
  expect(two('\n    label:\n      istio: b').warnings).toEqual([]);
});

test('convertOperator: values by release', () => {
  const out = convertOperator(iop('profile: demo\nvalues:\n  pilot:\n    traceSampling: 5'));
  expect(Object.keys(out)).toEqual(['istio-base', 'istiod', 'istio-ingressgateway', 'istio-egressgateway']);
  expect(out.istiod).toMatchObject({ pilot: { autoscaleEnabled: false, traceSampling: 5 } });
});

describe('the node agents: cni and ztunnel', () => {
  test.each([
    ['ambient', ['profile=ambient'], ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'cni:istio-cni@istio-system', 'ztunnel:ztunnel@istio-system']],
    ['the default profile with components.cni.enabled', ['components.cni.enabled=true'], ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'cni:istio-cni@istio-system', 'gateway:istio-ingressgateway@istio-system']],
    // istioctl's openshift.yaml and openshift-ambient.yaml put the node agents in kube-system
    ['openshift', ['profile=openshift'], ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'cni:istio-cni@kube-system', 'gateway:istio-ingressgateway@istio-system']],
    ['openshift-ambient', ['profile=openshift-ambient'], ['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'cni:istio-cni@kube-system', 'ztunnel:ztunnel@kube-system']],
  ])('%s', (_name, sets, expected) => {
    expect(names(plan(sets))).toEqual(expected);
  });

  test('istiod learns of the CNI agent (pilot.cni.enabled) and the ambient profile reaches every chart', () => {
    const p = plan(['profile=ambient']);
    expect(release(p, 'istiod').values).toMatchObject({ pilot: { cni: { enabled: true }, env: { PILOT_ENABLE_AMBIENT: 'true' } } });
    expect(release(p, 'istio-cni').values).toMatchObject({ ambient: { enabled: true } });
    expect(release(plan([]), 'istiod').values.pilot).toBeUndefined();
  });

  test('values.pilot.cni.enabled=true alone installs the CNI agent too (istioctl would not); with components.cni.enabled=false it warns', () => {
    const p = plan(['values.pilot.cni.enabled=true']);
    expect(names(p)).toEqual(['base:istio-base@istio-system', 'istiod:istiod@istio-system', 'cni:istio-cni@istio-system', 'gateway:istio-ingressgateway@istio-system']);
    expect(p.warnings).toEqual([]);
    const off = plan(['values.pilot.cni.enabled=true', 'components.cni.enabled=false']);
    expect(names(off)).not.toContain('cni:istio-cni@istio-system');
    expect(release(off, 'istiod').values).toMatchObject({ pilot: { cni: { enabled: true } } });
    expect(off.warnings).toEqual([expect.stringMatching(/^spec\.values\.pilot\.cni\.enabled is true but components\.cni\.enabled is false/)]);
  });

  test('a ztunnel outside istiod\'s namespace is the one istiod trusts (CA_TRUSTED_NODE_ACCOUNTS)', () => {
    expect(release(plan(['profile=ambient', 'components.ztunnel.namespace=kube-system']), 'istiod').values.trustedZtunnelNamespace).toBe('kube-system');
    expect(release(plan(['profile=ambient']), 'istiod').values.trustedZtunnelNamespace).toBeUndefined();
    const renamed = plan(['profile=ambient', 'values.ztunnel.resourceName=zt']);
    expect(release(renamed, 'istiod').values.trustedZtunnelName).toBe('zt');
  });

  test('values.cni and values.ztunnel go to their charts (ztunnel\'s at its top level), with global and the revision', () => {
    const p = plan(['profile=ambient', 'values.cni.repair.deletePods=true', 'values.ztunnel.logLevel=debug', 'values.global.logAsJson=true', 'hub=example.com/istio', 'tag=1.31.4-x', 'revision=blue']);
    expect(release(p, 'istio-cni').values).toMatchObject({ repair: { deletePods: true }, global: { logAsJson: true, hub: 'example.com/istio', tag: '1.31.4-x' }, revision: 'blue' });
    expect(release(p, 'ztunnel').values).toMatchObject({ logLevel: 'debug', global: { logAsJson: true }, revision: 'blue' });
  });

  test('node agent values with the component off are reported as ignored', () => {
    expect(plan(['values.ztunnel.logLevel=debug']).warnings).toEqual([expect.stringMatching(/^spec\.values\.ztunnel: ignored/)]);
  });

  test('k8s: resources become chart values, the rest strategic-merge patches of the DaemonSet and its container', () => {
    const p = plan(['profile=ambient', 'components.cni.k8s.resources.requests.cpu=50m', 'components.cni.k8s.nodeSelector.pool=mesh', 'components.cni.k8s.env[0].name=X', 'components.cni.k8s.env[0].value=on', 'components.ztunnel.k8s.podAnnotations.a=b']);
    const cni = release(p, 'istio-cni');
    expect(cni.values).toMatchObject({ resources: { requests: { cpu: '50m' } } });
    expect(cni.overlays).toEqual([
      { source: 'spec.components.cni.k8s.nodeSelector', kind: 'DaemonSet', name: 'istio-cni-node', merge: { spec: { template: { spec: { nodeSelector: { pool: 'mesh' } } } } } },
      { source: 'spec.components.cni.k8s.env', kind: 'DaemonSet', name: 'istio-cni-node', merge: { spec: { template: { spec: { containers: [{ name: 'install-cni', env: [{ name: 'X', value: 'on' }] }] } } } } },
    ]);
    expect(release(p, 'ztunnel').overlays).toEqual([
      { source: 'spec.components.ztunnel.k8s.podAnnotations', kind: 'DaemonSet', name: 'ztunnel', merge: { spec: { template: { metadata: { annotations: { a: 'b' } } } } } },
    ]);
  });

  test.each([
    ['components.cni.k8s.hpaSpec.maxReplicas=3', 'spec.components.cni.k8s.hpaSpec', /a DaemonSet is not autoscaled/],
    ['components.ztunnel.k8s.strategy.type=Recreate', 'spec.components.ztunnel.k8s.strategy', /set values\.ztunnel\.updateStrategy instead/],
    ['values.ztunnel.loglevel=debug', 'spec.values.ztunnel.loglevel', /unknown field; did you mean logLevel\?/],
  ])('%s is refused, naming the path', (set, path, message) => {
    expect(() => plan(['profile=ambient', set])).toThrow(expect.objectContaining({ path, message: expect.stringMatching(message) }));
  });
});

describe('manifestYaml', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', annotations: { x: 'yes', y: 'on' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'c' } },
  ];
  test('one YAML stream that reads back as the same objects (yes and on stay strings)', () => {
    const text = manifestYaml(objects);
    expect(text.split('\n---\n')).toHaveLength(3);
    expect(parseManifest(text)).toEqual(objects);
  });
  test('sort: istioctl manifest generate\'s kind order', () => {
    expect(sortLikeIstioctl(objects).map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'Deployment', 'Service']);
    expect(parseManifest(manifestYaml(objects, { sort: true })).map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'Deployment', 'Service']);
  });
});
