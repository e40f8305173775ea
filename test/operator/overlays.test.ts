/** Post-render patches: the overlay path syntax, strategic merge, and postRender itself. */
import { OverlayError, parseOverlayPath, postRender, strategicMerge } from '../../src/operator';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod' } },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'discovery', args: ['discovery', '--monitoringAddr=:15014'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'other', args: ['x'] },
        ],
        tolerations: [{ key: 'cni.istio.io/not-ready', operator: 'Exists' }],
      },
    },
  },
});

describe('overlay paths', () => {
  test.each([
    ['spec.replicas', [{ key: 'spec' }, { key: 'replicas' }]],
    ['spec.template.spec.containers.[name:discovery].args.[1]', [{ key: 'spec' }, { key: 'template' }, { key: 'spec' }, { key: 'containers' }, { match: { key: 'name', value: 'discovery' } }, { key: 'args' }, { index: 1 }]],
    ['spec.containers[name:a.b].args', [{ key: 'spec' }, { key: 'containers' }, { match: { key: 'name', value: 'a.b' } }, { key: 'args' }]],
    ['metadata.annotations.example\\.com/x', [{ key: 'metadata' }, { key: 'annotations' }, { key: 'example.com/x' }]],
    ['spec.args.[:--x]', [{ key: 'spec' }, { key: 'args' }, { leaf: '--x' }]],
  ])('%s', (path, segments) => {
    expect(parseOverlayPath(path)).toEqual(segments);
  });

  test.each(['a.[x]', 'a.[k:]', '', 'a[0'])('bad path %p is an error', (path) => {
    expect(() => parseOverlayPath(path)).toThrow();
  });
});

describe('postRender', () => {
  const overlay = (patches: Array<{ path: string; value?: unknown }>) => [{ source: 'spec.components.pilot.k8s.overlays[0]', kind: 'Deployment', name: 'istiod', patches }];

  test('sets through [key:value] and [N], creating missing maps', () => {
    const [out] = postRender([deployment()], overlay([
      { path: 'spec.template.spec.containers.[name:discovery].args.[1]', value: '--monitoringAddr=:15015' },
      { path: 'spec.template.spec.containers.[name:discovery].env.[name:B].value', value: '3' },
      { path: 'spec.template.metadata.labels.team', value: 'mesh' },
    ]));
    const c = out.spec.template.spec.containers[0];
    expect(c.args).toEqual(['discovery', '--monitoringAddr=:15015']);
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }]);
    expect(out.spec.template.metadata).toEqual({ labels: { team: 'mesh' } });
  });

  test('an absent or null value deletes: a key, a matched element, a leaf value, an index', () => {
    const [out] = postRender([deployment()], overlay([
      { path: 'metadata.labels.app' },
      { path: 'spec.template.spec.containers.[name:other]', value: null },
      { path: 'spec.template.spec.containers.[name:discovery].args.[:discovery]' },
      { path: 'spec.template.spec.tolerations.[0]' },
    ]));
    expect(out.metadata.labels).toEqual({});
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['discovery']);
    expect(out.spec.template.spec.containers[0].args).toEqual(['--monitoringAddr=:15014']);
    expect(out.spec.template.spec.tolerations).toEqual([]);
  });

  test('[key:value] matches the whole value, not a prefix or a pattern', () => {
    const svc = { kind: 'Service', metadata: { name: 'gw' }, spec: { ports: [{ name: 'http2-alt', port: 8081 }, { name: 'http2', port: 80 }] } };
    const [out] = postRender([svc], [{ source: 's', kind: 'Service', name: 'gw', patches: [{ path: 'spec.ports.[name:http2].port', value: 8080 }] }]);
    expect(out.spec.ports).toEqual([{ name: 'http2-alt', port: 8081 }, { name: 'http2', port: 8080 }]);
  });

  test('is pure: the input objects are unchanged', () => {
    const input = [deployment()];
    postRender(input, overlay([{ path: 'metadata.labels.app', value: 'x' }]));
    expect(input).toEqual([deployment()]);
  });

  test('a missing object or element is an error naming the overlay', () => {
    expect(() => postRender([deployment()], [{ source: 'spec.components.pilot.k8s.overlays[2]', kind: 'Service', name: 'istiod', patches: [] }])).toThrow(
      new OverlayError('spec.components.pilot.k8s.overlays[2]', 'no Service named istiod to patch (the release renders Deployment/istiod)'),
    );
    expect(() => postRender([deployment()], overlay([{ path: 'spec.template.spec.containers.[name:nope].args', value: [] }]))).toThrow(
      /^spec\.components\.pilot\.k8s\.overlays\[0\]\.patches\[0\]\.path: .*no such element at .*\[name:nope\]$/,
    );
  });

  test('rename after the patches', () => {
    const [out] = postRender([deployment()], [{ source: 's', kind: 'Deployment', name: 'istiod', patches: [{ path: 'spec.replicas', value: 2 }], rename: 'istiod-x' }]);
    expect(out.metadata.name).toBe('istiod-x');
    expect(out.spec.replicas).toBe(2);
  });
});

describe('strategic merge', () => {
  test('maps merge, null deletes, containers and env merge by name, tolerations are replaced', () => {
    const out = strategicMerge(deployment(), {
      metadata: { labels: { app: null, team: 'mesh' } },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'discovery', env: [{ name: 'B', value: '9' }, { name: 'C', value: '3' }], readinessProbe: { periodSeconds: 5 } }],
            tolerations: [{ key: 'dedicated', operator: 'Exists' }],
          },
        },
      },
    }, '') as any;
    expect(out.metadata.labels).toEqual({ team: 'mesh' });
    const [discovery, other] = out.spec.template.spec.containers;
    expect(discovery.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '9' }, { name: 'C', value: '3' }]);
    expect(discovery.readinessProbe).toEqual({ periodSeconds: 5 });
    expect(other).toEqual({ name: 'other', args: ['x'] });
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
  });

  test('Service ports merge by port', () => {
    const out = strategicMerge({ ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }, { ports: [{ port: 443, nodePort: 30443 }] }, '') as any;
    expect(out.ports).toEqual([{ port: 80, name: 'http' }, { port: 443, name: 'https', nodePort: 30443 }]);
  });
});
