/** The base chart rendered by real helm v4 and v3. */
import { loadCrds } from '../../src/crds';
import { HELM_MAJORS, SNAPSHOT_MAJOR, byKind, chart, find, helm, identities, template } from '../support/helm';

const BASE = chart('base');
const crds = loadCrds();

describe.each(HELM_MAJORS)('base chart with helm %s', (major) => {
  const render = (o: Parameters<typeof template>[2] = {}) => template(major, BASE, { release: 'istio-base', ...o }).objects;

  test('helm lint --strict passes', () => {
    const r = helm(major, ['lint', '--strict', BASE]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  test('defaults: the 15 CRDs, the reader ServiceAccount and the default validator', () => {
    const objects = render();
    expect(objects).toHaveLength(17);
    expect(byKind(objects, 'CustomResourceDefinition')).toHaveLength(15);
    expect(identities(objects).filter((i) => !i.startsWith('CustomResourceDefinition'))).toEqual([
      'ServiceAccount/istio-system/istio-reader-service-account',
      'ValidatingWebhookConfiguration//istiod-default-validator',
    ]);
  });

  test('every CRD spec is byte-equal to the istio.io/api file', () => {
    const rendered = byKind(render(), 'CustomResourceDefinition');
    expect(rendered.map((c) => c.metadata.name).sort()).toEqual(crds.map((c) => c.name).sort());
    for (const crd of crds) {
      const r = rendered.find((c) => c.metadata.name === crd.name);
      expect(JSON.stringify(r.spec)).toEqual(JSON.stringify(crd.object.spec));
    }
  });

  test('CRDs are Helm-owned, kept on uninstall, and carry no namespace', () => {
    for (const c of byKind(render(), 'CustomResourceDefinition')) {
      expect(c.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      expect(c.metadata.labels).toEqual({
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/instance': 'istio-base',
        'app.kubernetes.io/part-of': 'istio',
        'app.kubernetes.io/version': '1.31.4',
        'helm.sh/chart': 'base-1.31.4',
      });
      expect(c.metadata.namespace).toBeUndefined();
    }
  });

  test('enableCRDTemplates=false keeps the static labels of the CRD file', () => {
    const c = byKind(render({ set: ['base.enableCRDTemplates=false'] }), 'CustomResourceDefinition')[0];
    expect(c.metadata.labels).toEqual({ app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' });
  });

  test('base.excludedCRDs drops exactly the named CRDs', () => {
    const objects = render({ set: ['base.excludedCRDs={wasmplugins.extensions.istio.io,envoyfilters.networking.istio.io}'] });
    const names = byKind(objects, 'CustomResourceDefinition').map((c) => c.metadata.name);
    expect(names).toHaveLength(13);
    expect(names).not.toContain('wasmplugins.extensions.istio.io');
    expect(names).not.toContain('envoyfilters.networking.istio.io');
  });

  test('resourceScope splits cluster-scoped from namespaced objects', () => {
    expect(identities(render({ set: ['global.resourceScope=namespace'] }))).toEqual([
      'ServiceAccount/istio-system/istio-reader-service-account',
    ]);
    const cluster = render({ set: ['global.resourceScope=cluster'] });
    expect(cluster).toHaveLength(16);
    expect(byKind(cluster, 'ServiceAccount')).toHaveLength(0);
  });

  describe('istiod-default-validator', () => {
    const validator = (o: Parameters<typeof template>[2] = {}) => find(render(o), 'ValidatingWebhookConfiguration', 'istiod-default-validator');

    test('points at istiod in the istio namespace, fails open until istiod takes over', () => {
      const v = validator();
      expect(v.metadata.labels['istio.io/rev']).toBe('default');
      expect(v.webhooks).toHaveLength(1);
      const w = v.webhooks[0];
      expect(w.name).toBe('validation.istio.io');
      expect(w.clientConfig).toEqual({ service: { name: 'istiod', namespace: 'istio-system', path: '/validate' } });
      expect(w.failurePolicy).toBe('Ignore');
      expect(w.sideEffects).toBe('None');
      expect(w.admissionReviewVersions).toEqual(['v1']);
      expect(w.objectSelector).toBeUndefined();
      expect(w.rules[0].apiGroups).toEqual(['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io']);
    });

    test('follows defaultRevision and global.istioNamespace', () => {
      const w = validator({ set: ['defaultRevision=canary', 'global.istioNamespace=mesh'] });
      expect(w.metadata.labels['istio.io/rev']).toBe('canary');
      expect(w.webhooks[0].clientConfig.service).toEqual({ name: 'istiod-canary', namespace: 'mesh', path: '/validate' });
    });

    test('is not rendered when defaultRevision is empty', () => {
      expect(byKind(render({ set: ['defaultRevision='] }), 'ValidatingWebhookConfiguration')).toHaveLength(0);
    });

    test('validationURL and validationCABundle replace the Service and pin Fail', () => {
      const w = validator({ set: ['base.validationURL=https://istiod.example:15017/validate', 'base.validationCABundle=Q0E='] }).webhooks[0];
      expect(w.clientConfig).toEqual({ url: 'https://istiod.example:15017/validate', caBundle: 'Q0E=' });
      expect(w.failurePolicy).toBe('Fail');
    });

    test('an explicit validationFailurePolicy wins; an upgrade leaves the live policy alone', () => {
      expect(validator({ set: ['base.validationFailurePolicy=Fail'] }).webhooks[0].failurePolicy).toBe('Fail');
      expect(validator({ extraArgs: ['--is-upgrade'] }).webhooks[0]).not.toHaveProperty('failurePolicy');
    });
  });

  describe('istio-reader-service-account', () => {
    test('lives in the istio namespace with pull secrets', () => {
      const sa = find(render({ set: ['global.istioNamespace=mesh', 'global.imagePullSecrets={a,b}'] }), 'ServiceAccount', 'istio-reader-service-account');
      expect(sa.metadata.namespace).toBe('mesh');
      expect(sa.imagePullSecrets).toEqual([{ name: 'a' }, { name: 'b' }]);
      expect(sa.metadata.labels.app).toBe('istio-reader');
    });

    test('is skipped with enableReaderRBAC=false or a custom reader account', () => {
      expect(byKind(render({ set: ['global.enableReaderRBAC=false'] }), 'ServiceAccount')).toHaveLength(0);
      expect(byKind(render({ set: ['global.readerServiceAccount.name=mine'] }), 'ServiceAccount')).toHaveLength(0);
    });
  });

  describe('stable validation policy', () => {
    const policies = (o: Parameters<typeof template>[2]) => identities(render(o)).filter((i) => i.startsWith('ValidatingAdmissionPolicy'));

    test('off by default', () => expect(policies({})).toEqual([]));

    test('profile=stable or experimental.stableValidationPolicy adds the policy and its binding', () => {
      const expected = [
        'ValidatingAdmissionPolicy//stable-channel-default-policy.istio.io',
        'ValidatingAdmissionPolicyBinding//stable-channel-default-policy-binding.istio.io',
      ];
      expect(policies({ set: ['profile=stable'] })).toEqual(expected);
      expect(policies({ set: ['global.profile=stable'] })).toEqual(expected);
      expect(policies({ set: ['experimental.stableValidationPolicy=true'] })).toEqual(expected);
      const binding = find(render({ set: ['profile=stable'] }), 'ValidatingAdmissionPolicyBinding', 'stable-channel-default-policy-binding.istio.io');
      expect(binding.spec).toEqual({ policyName: 'stable-channel-default-policy.istio.io', validationActions: ['Deny'] });
    });

    test('needs a default revision and the cluster scope', () => {
      expect(policies({ set: ['profile=stable', 'defaultRevision='] })).toEqual([]);
      expect(policies({ set: ['profile=stable', 'global.resourceScope=namespace'] })).toEqual([]);
    });
  });

  const CRD_BODIES_LEFT_OUT = (o: any) => (o.kind === 'CustomResourceDefinition' ? { kind: o.kind, name: o.metadata.name, versions: o.spec.versions.map((v: any) => v.name) } : o);

  if (major === SNAPSHOT_MAJOR) {
    test('snapshot of everything but the CRD bodies', () => {
      expect(render().map(CRD_BODIES_LEFT_OUT)).toMatchSnapshot();
    });
  } else {
    test(`the same objects as helm ${SNAPSHOT_MAJOR} renders`, () => {
      expect(render()).toEqual(template(SNAPSHOT_MAJOR, BASE, { release: 'istio-base' }).objects);
    });
  }
});
