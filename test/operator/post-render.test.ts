/**
 * The post-renderer as helm v4 runs it: `helm template` through our postrenderer/v1 plugin
 * (private HELM_PLUGINS directory, overlays file as its argument) applies the overlays.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Overlay, helmPostRendererArgs, parseManifest } from '../../src/operator';
import { helmBinary } from '../../src/tools/helm';
import { chart } from '../support/helm';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'post-render-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function template(extra: { env: Record<string, string>; args: string[] }) {
  const r = spawnSync(helmBinary('v4'), ['template', 'istiod', chart('istiod'), '-n', 'istio-system', ...extra.args], {
    encoding: 'utf8',
    // helm runs the plugin in its own working directory, which need not be this checkout
    cwd: dir,
    env: { ...process.env, ...extra.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stderr: r.stderr, objects: r.status === 0 ? parseManifest(r.stdout) : [] };
}

const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');

test('helm template through the plugin applies the overlays', () => {
  const overlays: Overlay[] = [
    { source: 'test', kind: 'Deployment', name: 'istiod', patches: [{ path: 'spec.template.metadata.labels.patched', value: 'yes' }] },
    { source: 'test', kind: 'Deployment', name: 'istiod', merge: { spec: { template: { spec: { securityContext: { fsGroup: 1337 } } } } } },
  ];
  const file = join(dir, 'overlays.json');
  writeFileSync(file, JSON.stringify(overlays));
  const plain = template({ env: {}, args: [] });
  const patched = template(helmPostRendererArgs(file));
  expect(patched.stderr).toBe('');
  expect(deployment(plain.objects).spec.template.metadata.labels.patched).toBeUndefined();
  expect(deployment(patched.objects).spec.template.metadata.labels.patched).toBe('yes');
  expect(deployment(patched.objects).spec.template.spec.securityContext).toEqual({ fsGroup: 1337 });
  // nothing else changes
  expect(patched.objects.length).toBe(plain.objects.length);
});

test('an overlay that cannot apply fails the helm command', () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify([{ source: 'test', kind: 'Deployment', name: 'nope', patches: [] }]));
  const r = template(helmPostRendererArgs(file));
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/post-render/);
});
