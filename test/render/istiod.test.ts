/** The istiod chart rendered by real helm v4 and v3. */
import { HELM_MAJORS, HelmOptions, SNAPSHOT_MAJOR, byKind, chart, find, helm, identities, template } from '../support/helm';
import * as YAML from 'yaml';
import { EVERY_PILOT_KEY } from '../support/values';

const ISTIOD = chart('istiod');

describe.each(HELM_MAJORS)('istiod chart with helm %s', (major) => {
  const render = (o: HelmOptions = {}) => template(major, ISTIOD, { release: 'istiod', ...o }).objects;
  const deployment = (o: HelmOptions = {}) => find(render(o), 'Deployment', o.set?.some((s) => s.startsWith('revision=')) ? 'istiod-canary' : 'istiod');
  const container = (o: HelmOptions = {}) => deployment(o).spec.template.spec.containers[0];
  const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('helm lint --strict passes', () => {
    const r = helm(major, ['lint', '--strict', ISTIOD]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  test('defaults: pilot-discovery as the pinned release expects it', () => {
    const c = container();
    expect(c.image).toBe('docker.io/istio/pilot:1.31.4');
    expect(c.args).toEqual(['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m']);
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([8080, 15010, 15012, 15017, 15014]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    const env = envOf(c);
    expect(env).toMatchObject({ REVISION: 'default', PILOT_CERT_PROVIDER: 'istiod', CLUSTER_ID: 'Kubernetes', PILOT_TRACE_SAMPLING: '1', CA_TRUSTED_NODE_ACCOUNTS: 'istio-system/ztunnel', PILOT_ENABLE_ANALYSIS: 'false' });
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' } });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(deployment().spec).not.toHaveProperty('replicas');
    expect(deployment().spec.strategy.rollingUpdate).toEqual({ maxSurge: '100%', maxUnavailable: '25%' });
  });

  test("defaults: the discovery container runs the runtime's seccomp profile (Pod Security restricted); null leaves it out", () => {
    const container = (o: HelmOptions = {}) => deployment(o).spec.template.spec.containers[0];
    expect(container().securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(container({ set: ['pilot.seccompProfile=null'] }).securityContext).not.toHaveProperty('seccompProfile');
  });

  test('defaults: Service ports, HPA 1-5 at 80% CPU, no PDB', () => {
    const objects = render();
    const svc = find(objects, 'Service', 'istiod');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort ?? p.port])).toEqual([
      ['grpc-xds', 15010, 15010],
      ['https-dns', 15012, 15012],
      ['https-webhook', 443, 15017],
      ['http-monitoring', 15014, 15014],
    ]);
    expect(svc.spec.selector).toEqual({ app: 'istiod', istio: 'pilot' });
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'istiod');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization]).toEqual([1, 5, 80]);
    expect(byKind(objects, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('defaults: the ConfigMaps istiod reads', () => {
    const objects = render();
    const mesh = find(objects, 'ConfigMap', 'istio');
    expect(mesh.data.mesh).toContain('trustDomain: cluster.local');
    expect(mesh.data.mesh).toContain('discoveryAddress: istiod.istio-system.svc:15012');
    const injector = find(objects, 'ConfigMap', 'istio-sidecar-injector');
    expect(JSON.parse(injector.data.values).global.hub).toBe('docker.io/istio');
    expect(injector.data.config).toContain('policy: enabled');
    const merged = JSON.parse(find(objects, 'ConfigMap', 'values').data['merged-values']);
    expect(merged.pilot.autoscaleMax).toBe(5);
    expect(Object.keys(merged)).not.toContain('__effectiveValues');
  });

  // istiod serves the istio-agentgateway classes only with its flag on, and the waypoint class only with ambient too
  test('agentgateway: the flag reaches istiod, the injector carries both templates, a user template replaces one', () => {
    const templatesOf = (objects: any[]) => YAML.parse(find(objects, 'ConfigMap', 'istio-sidecar-injector').data.config).templates;
    const objects = render({ set: ['profile=ambient', 'pilot.env.PILOT_ENABLE_AGENTGATEWAY=true'] });
    expect(envOf(find(objects, 'Deployment', 'istiod').spec.template.spec.containers[0])).toMatchObject({ PILOT_ENABLE_AGENTGATEWAY: 'true', PILOT_ENABLE_AMBIENT: 'true' });
    const templates = templatesOf(objects);
    expect(templates.agentgateway).toContain('"gateway.istio.io/managed" "istio.io-agentgateway-controller"');
    expect(templates['agentgateway-waypoint']).toContain('"gateway.istio.io/managed" "istio.io-agentgateway-waypoint-controller"');
    const replaced = templatesOf(render({ set: ['sidecarInjectorWebhook.templates.agentgateway=mine'] }));
    expect([replaced.agentgateway, replaced['agentgateway-waypoint']]).toEqual(['mine', templates['agentgateway-waypoint']]);
  });

  test('every pilot key takes effect, whether written under pilot or at the top level', () => {
    for (const values of [{ pilot: EVERY_PILOT_KEY }, EVERY_PILOT_KEY]) {
      const objects = render({ values });
      const d = find(objects, 'Deployment', 'istiod');
      const pod = d.spec.template;
      const c = pod.spec.containers[0];
      expect(c.image).toBe('registry.example.com/istio/pilot:1.31.4-custom-distroless');
      expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: '50%' });
      expect(d.metadata.labels.team).toBe('mesh');
      expect(d.metadata.annotations).toEqual({ 'example.com/deploy': 'yes' });
      expect(pod.metadata.labels.tier).toBe('control');
      expect(pod.metadata.annotations['example.com/pod']).toBe('yes');
      expect(pod.spec.nodeSelector).toEqual(EVERY_PILOT_KEY.nodeSelector);
      expect(pod.spec.affinity).toEqual(EVERY_PILOT_KEY.affinity);
      expect(pod.spec.tolerations).toEqual([{ key: 'cni.istio.io/not-ready', operator: 'Exists' }, ...EVERY_PILOT_KEY.tolerations]);
      expect(pod.spec.topologySpreadConstraints).toEqual(EVERY_PILOT_KEY.topologySpreadConstraints);
      expect(pod.spec.initContainers).toEqual(EVERY_PILOT_KEY.initContainers);
      expect(pod.spec.volumes).toContainEqual({ name: 'extra', emptyDir: {} });
      expect(pod.spec.volumes).toContainEqual({ name: 'extracacerts', configMap: { name: 'pilot-jwks-extra-cacerts' } });
      expect(c.volumeMounts).toContainEqual({ name: 'extra', mountPath: '/extra' });
      expect(c.resources).toEqual(EVERY_PILOT_KEY.resources);
      expect(c.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(c.args).toEqual(expect.arrayContaining(['--cniNamespace=kube-system', '10m', '--log_caller=default']));
      const env = envOf(c);
      expect(env).toMatchObject({
        PILOT_ENABLE_STATUS: 'true',
        PILOT_TRACE_SAMPLING: '2.5',
        PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS: 'true',
        PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME: 'example.com/not-ready',
        CA_TRUSTED_NODE_ACCOUNTS: 'ztunnel-ns/zt',
      });
      expect(c.env).toContainEqual(EVERY_PILOT_KEY.envVarFrom[0]);
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'istiod');
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 7]);
      expect(hpa.spec.metrics.map((m: any) => m.resource.target.averageUtilization)).toEqual([60, 70]);
      expect(hpa.spec.behavior).toEqual(EVERY_PILOT_KEY.autoscaleBehavior);
      expect(find(objects, 'PodDisruptionBudget', 'istiod').spec.minAvailable).toBe(1);
      const svc = find(objects, 'Service', 'istiod');
      expect(svc.metadata.annotations).toEqual({ 'example.com/svc': 'yes' });
      expect([svc.spec.ipFamilyPolicy, svc.spec.ipFamilies]).toEqual(['PreferDualStack', ['IPv4', 'IPv6']]);
      expect(find(objects, 'ServiceAccount', 'istiod').metadata.annotations).toEqual({ 'example.com/sa': 'yes' });
      expect(find(objects, 'MutatingWebhookConfiguration', 'istio-sidecar-injector').metadata.annotations).toEqual({ 'example.com/mwc': 'yes' });
      expect(find(objects, 'ConfigMap', 'pilot-jwks-extra-cacerts').data['extra.pem']).toBe('PEM-DATA');
      expect(JSON.parse(find(objects, 'ConfigMap', 'istio-sidecar-injector').data.values).pilot.cni).toEqual({ enabled: true, provider: 'multus' });
    }
  });

  test('pilot.X wins over top-level X; top-level maps merge with pilot defaults', () => {
    const hpa = find(render({ set: ['autoscaleMax=3', 'pilot.autoscaleMax=9'] }), 'HorizontalPodAutoscaler', 'istiod');
    expect(hpa.spec.maxReplicas).toBe(9);
    const cni = JSON.parse(find(render({ set: ['cni.enabled=true'] }), 'ConfigMap', 'istio-sidecar-injector').data.values).pilot.cni;
    expect(cni).toEqual({ enabled: true, provider: 'default' });
  });

  test('fixed replicas: no HPA, replicas set, PDB once there are two', () => {
    const objects = render({ set: ['autoscaleEnabled=false', 'replicaCount=2'] });
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(find(objects, 'Deployment', 'istiod').spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'istiod').spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'istiod', istio: 'pilot' } } });
    expect(find(render({ set: ['autoscaleEnabled=false', 'replicaCount=2', 'pdb.maxUnavailable=1'] }), 'PodDisruptionBudget', 'istiod').spec).toMatchObject({ maxUnavailable: 1 });
  });

  test('a revision suffixes every name and selects by istio.io/rev', () => {
    const objects = render({ set: ['revision=canary'] });
    const names = identities(objects).filter((i) => !i.startsWith('ClusterRole') && !i.startsWith('Role'));
    for (const i of names) expect(i).toMatch(/canary/);
    const d = find(objects, 'Deployment', 'istiod-canary');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'istiod', 'istio.io/rev': 'canary' });
    expect(envOf(d.spec.template.spec.containers[0]).REVISION).toBe('canary');
    const mwc = find(objects, 'MutatingWebhookConfiguration', 'istio-sidecar-injector-canary');
    expect(mwc.webhooks.map((w: any) => w.name)).toEqual(['rev.namespace.sidecar-injector.istio.io', 'rev.object.sidecar-injector.istio.io']);
    expect(mwc.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({ key: 'istio.io/rev', operator: 'In', values: ['canary'] });
    expect(find(objects, 'ConfigMap', 'istio-canary').data.mesh).toContain('discoveryAddress: istiod-canary.istio-system.svc:15012');
    const vwc = find(objects, 'ValidatingWebhookConfiguration', 'istio-validator-canary-istio-system');
    expect(vwc.webhooks[0].objectSelector.matchExpressions[0].values).toEqual(['canary']);
  });

  test('the default revision injects istio-injection=enabled namespaces and opted-in pods', () => {
    const mwc = find(render(), 'MutatingWebhookConfiguration', 'istio-sidecar-injector');
    expect(mwc.webhooks.map((w: any) => w.name)).toEqual([
      'rev.namespace.sidecar-injector.istio.io',
      'rev.object.sidecar-injector.istio.io',
      'namespace.sidecar-injector.istio.io',
      'object.sidecar-injector.istio.io',
    ]);
    const ns = mwc.webhooks[2];
    expect(ns.namespaceSelector).toEqual({ matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] });
    expect(ns.objectSelector).toEqual({ matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] });
    expect(ns.clientConfig.service).toEqual({ name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 });
    expect([ns.failurePolicy, ns.sideEffects, ns.reinvocationPolicy]).toEqual(['Fail', 'None', 'Never']);
    const auto = find(render({ set: ['sidecarInjectorWebhook.enableNamespacesByDefault=true'] }), 'MutatingWebhookConfiguration', 'istio-sidecar-injector');
    expect(auto.webhooks.map((w: any) => w.name)).toContain('auto.sidecar-injector.istio.io');
  });

  test('revision tags: a webhook configuration and Service per tag; "default" also takes the legacy selectors', () => {
    const objects = render({ set: ['revision=canary', 'revisionTags={prod,default}'] });
    const prod = find(objects, 'MutatingWebhookConfiguration', 'istio-revision-tag-prod');
    expect(prod.metadata.labels['istio.io/tag']).toBe('prod');
    expect(prod.webhooks.map((w: any) => w.name)).toEqual(['rev.namespace.sidecar-injector.istio.io', 'rev.object.sidecar-injector.istio.io']);
    expect(prod.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({ key: 'istio.io/rev', operator: 'In', values: ['prod'] });
    // the tag routes to the revision's istiod
    expect(prod.webhooks[0].clientConfig.service.name).toBe('istiod-canary');
    const dflt = find(objects, 'MutatingWebhookConfiguration', 'istio-revision-tag-default');
    expect(dflt.webhooks.map((w: any) => w.name)).toContain('namespace.sidecar-injector.istio.io');
    expect(find(objects, 'Service', 'istiod-revision-tag-prod').spec.selector).toEqual({ app: 'istiod', 'istio.io/rev': 'canary' });
  });

  test('remote mode: only what a remote cluster needs, istiod reached at remotePilotAddress', () => {
    const byIp = render({ set: ['istiodRemote.enabled=true', 'global.remotePilotAddress=10.0.0.1'] });
    expect(byKind(byIp, 'Deployment')).toHaveLength(0);
    expect(find(byIp, 'EndpointSlice', 'istiod').endpoints).toEqual([{ addresses: ['10.0.0.1'] }]);
    expect(find(byIp, 'Service', 'istiod').spec.ports.map((p: any) => p.port)).toEqual(expect.arrayContaining([15012, 443]));
    const byName = render({ set: ['istiodRemote.enabled=true', 'global.remotePilotAddress=istiod.example.com'] });
    expect(find(byName, 'Service', 'istiod').spec).toMatchObject({ type: 'ExternalName', externalName: 'istiod.example.com' });
    const url = render({ set: ['istiodRemote.enabled=true', 'istiodRemote.injectionURL=https://istiod.example.com:15017/inject/cluster/c2/net/n1'] });
    const mwc = find(url, 'MutatingWebhookConfiguration', 'istio-sidecar-injector');
    expect(mwc.webhooks[0].clientConfig).toEqual({ url: 'https://istiod.example.com:15017/inject/cluster/c2/net/n1' });
  });

  test('outside istio-system the webhook configurations carry the namespace', () => {
    const objects = render({ namespace: 'mesh' });
    expect(find(objects, 'MutatingWebhookConfiguration', 'istio-sidecar-injector-mesh').webhooks[0].clientConfig.service.namespace).toBe('mesh');
    expect(find(objects, 'Deployment', 'istiod').metadata.namespace).toBe('mesh');
  });

  test('meshConfig is merged over the derived defaults, trust domain included', () => {
    const mesh = find(render({ set: ['meshConfig.trustDomain=example.org', 'meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true'] }), 'ConfigMap', 'istio').data.mesh;
    expect(mesh).toContain('trustDomain: example.org');
    expect(mesh).toContain('holdApplicationUntilProxyStarts: true');
    expect(mesh).toContain('discoveryAddress: istiod.istio-system.svc:15012');
  });

  test('removed keys fail rendering, naming the replacement', () => {
    const r = helm(major, ['template', 'istiod', ISTIOD, '--set', 'telemetry.v2.prometheus.configOverride.x=1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('telemetry.v2.prometheus.configOverride was removed; use Telemetry resources');
  });

  // helm v3 reaches for a cluster even on a client dry run; test/cluster covers v3
  (major === 'v4' ? test : test.skip)('deprecated keys are warned about in NOTES with their replacement', () => {
    const r = helm(major, ['install', 'istiod', ISTIOD, '-n', 'istio-system', '--dry-run=client', '--set', 'global.proxy.accessLogFile=/dev/stdout']);
    expect(r.stdout).toContain('WARNING: global.proxy.accessLogFile is deprecated; use meshConfig.accessLogFile instead.');
    // exactly the key the user set: the deprecated keys upstream's defaults still carry
    // (global.proxy.holdApplicationUntilProxyStarts, global.tracer) warn only when changed
    expect(r.stdout.match(/^WARNING: .*$/gm)).toEqual(['WARNING: global.proxy.accessLogFile is deprecated; use meshConfig.accessLogFile instead.']);
    const plain = helm(major, ['install', 'istiod', ISTIOD, '-n', 'istio-system', '--dry-run=client']);
    expect(plain.stdout).not.toContain('WARNING');
  });

  if (major === SNAPSHOT_MAJOR) {
    test('snapshot of the default render', () => {
      expect(render()).toMatchSnapshot();
    });
  } else {
    test(`the same objects as helm ${SNAPSHOT_MAJOR} renders`, () => {
      expect(render()).toEqual(template(SNAPSHOT_MAJOR, ISTIOD, { release: 'istiod' }).objects);
    });
  }
});
