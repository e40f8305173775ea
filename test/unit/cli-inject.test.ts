/** kube-inject's pure parts: the JSONPatch engine and the manifest walk, with a fake injector. */
import * as YAML from 'yaml';
import { PatchError, applyPatch } from '../../src/cli/inject/jsonpatch';
import { AdmissionReview, InjectBackend, injectManifest, reviewFor, templatePath } from '../../src/cli/inject/manifest';

describe('JSON Patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app' }] } };

  test('add into objects and arrays, "-" appends, ~1 and ~0 unescape', () => {
    const out = applyPatch(doc, [
      { op: 'add', path: '/metadata/labels/security.istio.io~1tlsMode', value: 'istio' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b': '1' } },
      { op: 'add', path: '/spec/containers/-', value: { name: 'istio-proxy' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
      { op: 'replace', path: '/metadata/annotations/a~0b', value: '2' },
    ]);
    expect(out.metadata.labels).toEqual({ app: 'web', 'security.istio.io/tlsMode': 'istio' });
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['first', 'app', 'istio-proxy']);
    expect((out.metadata as any).annotations).toEqual({ 'a~b': '2' });
    // the input is untouched
    expect(doc.spec.containers).toHaveLength(1);
  });

  test('remove, move, copy and test', () => {
    const out = applyPatch({ a: [1, 2, 3], b: { c: 'x' } } as any, [
      { op: 'remove', path: '/a/1' },
      { op: 'copy', from: '/b/c', path: '/d' },
      { op: 'move', from: '/b', path: '/e' },
      { op: 'test', path: '/d', value: 'x' },
    ]);
    expect(out).toEqual({ a: [1, 3], d: 'x', e: { c: 'x' } });
  });

  test('a patch that does not fit the document fails naming the operation', () => {
    expect(() => applyPatch(doc, [{ op: 'replace', path: '/spec/volumes', value: [] }])).toThrow(/operation 0 \(replace \/spec\/volumes\)/);
    expect(() => applyPatch(doc, [{ op: 'add', path: '/spec/containers/5', value: {} }])).toThrow(PatchError);
    expect(() => applyPatch(doc, [{ op: 'add', path: '/nope/x', value: 1 }])).toThrow(/does not exist/);
    expect(() => applyPatch(doc, [{ op: 'test', path: '/metadata/labels/app', value: 'db' }])).toThrow(/test failed/);
    expect(() => applyPatch(doc, [{ op: 'remove', path: '/spec/containers/1' }])).toThrow(/out of range/);
  });
});

/** A fake istiod: adds a sidecar and a label, and says what it saw. */
function fakeBackend(seen: AdmissionReview[]): InjectBackend {
  return async (reviews) => {
    seen.push(...reviews);
    return reviews.map((r) => {
      const pod = r.request!.object;
      if (pod.metadata.annotations?.['sidecar.istio.io/inject'] === 'false') return { uid: r.request!.uid, allowed: true };
      const ops = [
        { op: 'add', path: '/spec/containers/-', value: { name: 'istio-proxy', image: 'proxyv2' } },
        { op: 'add', path: pod.metadata.labels ? '/metadata/labels/security.istio.io~1tlsMode' : '/metadata/labels', value: pod.metadata.labels ? 'istio' : { 'security.istio.io/tlsMode': 'istio' } },
      ];
      return { uid: r.request!.uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') };
    });
  };
}

const MANIFEST = `# the Service stays as written
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80 # http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: web:1
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: c, image: c:1}]
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: solo, annotations: {sidecar.istio.io/inject: "false"}}
  spec: {containers: [{name: c, image: c:1}]}
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: db}
  spec: {template: {spec: {containers: [{name: db, image: db:1}]}}}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-apps}
spec: {template: {spec: {containers: [{name: x, image: x}]}}}
`;

describe('the manifest walk', () => {
  test('workloads are injected in place, everything else passes through, in order', async () => {
    const seen: AdmissionReview[] = [];
    const r = await injectManifest(MANIFEST, fakeBackend(seen), { namespace: 'dev' });
    const docs = YAML.parseAllDocuments(r.text).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Service', 'Deployment', 'CronJob', 'List', 'Deployment']);
    expect(r.text.startsWith('# the Service stays as written\n')).toBe(true);
    expect(r.text).toContain('# http');
    expect(r.text).not.toMatch(/---\n---/);
    expect(docs[1].spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'istio-proxy']);
    expect(docs[1].spec.template.metadata).toEqual({ labels: { app: 'web', 'security.istio.io/tlsMode': 'istio' } });
    expect(docs[2].spec.jobTemplate.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['c', 'istio-proxy']);
    expect(docs[3].items[0].spec.containers.map((c: any) => c.name)).toEqual(['c']);
    expect(docs[3].items[1].spec.template.spec.containers.map((c: any) => c.name)).toEqual(['db', 'istio-proxy']);
    // a Deployment of another API group is not a workload
    expect(docs[4].spec.template.spec.containers).toHaveLength(1);
    expect(r.injected).toEqual(['Deployment shop/web', 'CronJob tick', 'StatefulSet db']);
    expect(r.skipped).toEqual(['Pod solo']);
    expect(seen).toHaveLength(4);
  });

  test('the review carries the pod as a controller would create it, in the object\'s namespace or the default one', () => {
    const [, deployment, cronjob] = YAML.parseAllDocuments(MANIFEST).map((d) => d.toJS());
    const r = reviewFor(deployment, 'dev').request!;
    expect(r.namespace).toBe('shop');
    expect(r.kind).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(r.object.metadata).toMatchObject({ namespace: 'shop', generateName: 'web-', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] });
    expect(r.object.spec.containers[0].name).toBe('app');
    expect(reviewFor(cronjob, 'dev').request!.namespace).toBe('dev');
    expect(templatePath({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });

  test('the pod is shaped as the apiserver sends it (struct fields present), and what stayed empty is taken off', async () => {
    const doc = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: a}, {name: b, image: b, resources: {}}]\n';
    let sent: any;
    // istiod's patch assumes `resources: {}` on every container, as the typed serialization has it
    const backend: InjectBackend = async ([review]) => {
      sent = review.request!.object;
      const ops = [{ op: 'add', path: '/spec/containers/0/resources/requests', value: { cpu: '100m' } }, { op: 'add', path: '/metadata/labels', value: { x: 'y' } }];
      return [{ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') }];
    };
    const out = YAML.parse((await injectManifest(doc, backend, { namespace: 'dev' })).text);
    expect(sent.status).toEqual({});
    expect(sent.metadata.creationTimestamp).toBeNull();
    expect(out.metadata).toEqual({ name: 'p', labels: { x: 'y' } });
    expect(out.spec.containers).toEqual([{ name: 'a', image: 'a', resources: { requests: { cpu: '100m' } } }, { name: 'b', image: 'b', resources: {} }]);
    expect(out.status).toBeUndefined();
  });

  test('a refusal names the workload; a broken stream is bad input', async () => {
    const refuse: InjectBackend = async (reviews) => reviews.map(() => ({ allowed: false, status: { message: 'no template' } }));
    await expect(injectManifest(MANIFEST, refuse, { namespace: 'dev' })).rejects.toThrow('Deployment shop/web: the injector refused the pod: no template');
    await expect(injectManifest('a: [1,\n', fakeBackend([]), { namespace: 'dev' })).rejects.toMatchObject({ name: 'InputError' });
  });
});
