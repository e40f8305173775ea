/** The `--set` parser: istioctl's path syntax, value typing and list handling. */
import { InputError } from '../../src/operator';
import { applySetFlag, parseSetFlag, parseSetValue, splitSetPath } from '../../src/operator/set-flags';

describe('--set paths', () => {
  test.each([
    ['profile', ['profile']],
    ['values.global.proxy.resources.requests.cpu', ['values', 'global', 'proxy', 'resources', 'requests', 'cpu']],
    ['components.ingressGateways[0].enabled', ['components', 'ingressGateways', '[0]', 'enabled']],
    ['components.ingressGateways[name:istio-ingressgateway].k8s.replicaCount', ['components', 'ingressGateways', '[name:istio-ingressgateway]', 'k8s', 'replicaCount']],
    ['values.sidecarInjectorWebhook.injectedAnnotations.a\\.b/c', ['values', 'sidecarInjectorWebhook', 'injectedAnnotations', 'a.b/c']],
    ['.meshConfig..accessLogFile.', ['meshConfig', 'accessLogFile']],
  ])('%s', (path, segments) => {
    expect(splitSetPath(path)).toEqual(segments);
  });
});

describe('--set values', () => {
  test.each([
    ['spec.values.pilot.replicaCount', '3', 3],
    ['spec.values.pilot.replicaCount', '010', 10],
    ['spec.values.pilot.traceSampling', '0.5', 0.5],
    ['spec.values.pilot.traceSampling', '1e2', 100],
    ['spec.values.pilot.autoscaleEnabled', 'false', false],
    ['spec.values.pilot.autoscaleEnabled', 'True', true],
    ['spec.values.pilot.autoscaleEnabled', 't', true],
    ['spec.meshConfig.accessLogFile', '/dev/stdout', '/dev/stdout'],
    ['spec.values.pilot.env.LIST', 'a\\,b', 'a,b'],
    ['spec.values.global.proxy.resources.requests.cpu', '50m', '50m'],
    // always strings: versions and tags are not numbers
    ['spec.tag', '1.30', '1.30'],
    ['spec.values.global.tag', '1.31', '1.31'],
    ['spec.compatibilityVersion', '1.28', '1.28'],
    ['spec.values.compatibilityVersion', '1.30', '1.30'],
    ['spec.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE', 'true', 'true'],
    ['spec.values.meshConfig.defaultConfig.proxyMetadata.X', '10', '10'],
  ])('%s=%s', (path, raw, value) => {
    expect(parseSetValue(path, raw)).toStrictEqual(value);
  });

  test('split on the first =, both sides trimmed', () => {
    expect(parseSetFlag(' values.pilot.env.A = x=y ')).toMatchObject({ path: ['values', 'pilot', 'env', 'A'], value: 'x=y' });
  });

  test('a flag without = is an error naming it', () => {
    expect(() => parseSetFlag('profile')).toThrow(new InputError('--set profile', 'expected path=value'));
  });

  test('a bad list selector is an error naming the path', () => {
    expect(() => parseSetFlag('components.ingressGateways[x].enabled=true')).toThrow(/^spec\.components\.ingressGateways\[x\]\.enabled: bad list selector/);
  });
});

describe('--set into a tree', () => {
  const set = (tree: Record<string, unknown>, ...flags: string[]) => {
    for (const f of flags) applySetFlag(tree, parseSetFlag(f));
    return tree;
  };

  test('maps are created on the way', () => {
    expect(set({}, 'values.global.proxy.resources.requests.cpu=50m', 'profile=demo')).toEqual({
      values: { global: { proxy: { resources: { requests: { cpu: '50m' } } } } },
      profile: 'demo',
    });
  });

  test('[N] past the end appends a new element; inside the list it changes that one', () => {
    const tree = set({}, 'components.ingressGateways[0].enabled=false');
    expect(tree).toEqual({ components: { ingressGateways: [{ enabled: false }] } });
    set(tree, 'components.ingressGateways[0].name=a', 'components.ingressGateways[5].name=b');
    expect(tree).toEqual({ components: { ingressGateways: [{ enabled: false, name: 'a' }, { name: 'b' }] } });
  });

  test('[key:value] selects the element whose key has that value', () => {
    const tree = { components: { ingressGateways: [{ name: 'a' }, { name: 'b' }] } };
    set(tree, 'components.ingressGateways[name:b].k8s.replicaCount=2');
    expect(tree.components.ingressGateways[1]).toEqual({ name: 'b', k8s: { replicaCount: 2 } });
  });

  test('[key:value] with no match is an error naming the selector', () => {
    expect(() => set({ components: { ingressGateways: [{ name: 'a' }] } }, 'components.ingressGateways[name:x].enabled=true')).toThrow(
      /^spec\.components\.ingressGateways\[name:x\]: no element with name=x$/,
    );
  });

  test('setting below a scalar is an error naming it', () => {
    expect(() => set({ profile: 'demo' }, 'profile.x=1')).toThrow(/^spec\.profile: is a string, not a map$/);
  });
});
