/** The gateway chart rendered by real helm v4 and v3. */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { HELM_MAJORS, HelmOptions, SNAPSHOT_MAJOR, byKind, find, helm, identities, template, templateError, chart } from '../support/helm';

const GATEWAY = chart('gateway');

const NAME = 'istio-ingressgateway';

describe.each(HELM_MAJORS)('gateway chart with helm %s', (major) => {
  const render = (o: HelmOptions = {}) => template(major, GATEWAY, { release: NAME, ...o }).objects;
  const workload = (objects: any[], kind = 'Deployment', name = NAME) => find(objects, kind, name);
  const proxy = (objects: any[], kind = 'Deployment') => workload(objects, kind).spec.template.spec.containers[0];

  test('helm lint --strict passes', () => {
    const r = helm(major, ['lint', '--strict', GATEWAY]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  test('defaults: Deployment, Service, HPA, ServiceAccount, Role and RoleBinding named after the release', () => {
    expect(identities(render())).toEqual([
      `Deployment/istio-system/${NAME}`,
      `HorizontalPodAutoscaler/istio-system/${NAME}`,
      `Role/istio-system/${NAME}`,
      `RoleBinding/istio-system/${NAME}`,
      `Service/istio-system/${NAME}`,
      `ServiceAccount/istio-system/${NAME}`,
    ]);
  });

  test("defaults: the pod runs the runtime's seccomp profile (Pod Security restricted); a securityContext of the user's replaces the defaults", () => {
    const pod = (o: HelmOptions = {}) => workload(render(o)).spec.template.spec;
    expect(pod().securityContext).toEqual({ sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod({ values: { securityContext: { runAsUser: 1337 } } }).securityContext).toEqual({ runAsUser: 1337 });
  });

  test('defaults: a pod istiod injects with its gateway template', () => {
    const objects = render();
    const d = workload(objects);
    const pod = d.spec.template;
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.spec.selector.matchLabels).toEqual({ app: NAME, istio: 'ingressgateway' });
    expect(pod.metadata.labels).toMatchObject({ 'sidecar.istio.io/inject': 'true', app: NAME, istio: 'ingressgateway', 'istio.io/dataplane-mode': 'none' });
    expect(pod.metadata.labels).not.toHaveProperty('istio.io/rev');
    expect(pod.metadata.annotations).toEqual({
      'inject.istio.io/templates': 'gateway',
      'sidecar.istio.io/inject': 'true',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/stats/prometheus',
    });
    expect(pod.spec.serviceAccountName).toBe(NAME);
    expect(pod.spec.securityContext).toEqual({ sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    const c = proxy(objects);
    expect([c.name, c.image]).toEqual(['istio-proxy', 'auto']);
    expect(c).not.toHaveProperty('imagePullPolicy');
    expect(c.ports).toEqual([{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    expect(c.securityContext).toEqual({
      capabilities: { drop: ['ALL'] },
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
  });

  test('defaults: LoadBalancer Service on 15021, 80 and 443; HPA 1-5 at 80% CPU; Role reading Secrets', () => {
    const objects = render();
    const svc = find(objects, 'Service', NAME);
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort, p.protocol])).toEqual([
      ['status-port', 15021, 15021, 'TCP'],
      ['http2', 80, 80, 'TCP'],
      ['https', 443, 443, 'TCP'],
    ]);
    expect(svc.spec.selector).toEqual({ app: NAME, istio: 'ingressgateway' });
    const hpa = find(objects, 'HorizontalPodAutoscaler', NAME);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: NAME });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([1, 5]);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(find(objects, 'Role', NAME).rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    expect(find(objects, 'RoleBinding', NAME).subjects).toEqual([{ kind: 'ServiceAccount', name: NAME }]);
  });

  test('names and selector labels follow the release name, name and labels', () => {
    const mine = render({ release: 'my-gw' });
    expect(find(mine, 'Deployment', 'my-gw').spec.selector.matchLabels).toEqual({ app: 'my-gw', istio: 'my-gw' });
    const overridden = render({ set: ['name=custom-gw', 'labels.istio=edge', 'labels.team=a'] });
    const d = find(overridden, 'Deployment', 'custom-gw');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'custom-gw', istio: 'edge' });
    expect(d.metadata.labels).toMatchObject({ app: 'custom-gw', istio: 'edge', team: 'a' });
    expect(find(overridden, 'Service', 'custom-gw').spec.selector).toEqual({ app: 'custom-gw', istio: 'edge' });
  });

  test('kind=DaemonSet: no autoscaler, no replicas, strategy as updateStrategy', () => {
    const objects = render({ set: ['kind=DaemonSet', 'autoscaling.enabled=false', 'replicaCount=3', 'strategy.rollingUpdate.maxUnavailable=2'] });
    expect(identities(objects)).toContain(`DaemonSet/istio-system/${NAME}`);
    expect(byKind(objects, 'Deployment')).toHaveLength(0);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    const ds = workload(objects, 'DaemonSet');
    expect(ds.spec).not.toHaveProperty('replicas');
    expect(ds.spec).not.toHaveProperty('strategy');
    expect(ds.spec.updateStrategy).toEqual({ rollingUpdate: { maxUnavailable: 2 } });
    expect(byKind(render({ set: ['kind=DaemonSet'] }), 'HorizontalPodAutoscaler')).toHaveLength(0);
  });

  test('service.type=None renders no Service; ClusterIP and NodePort are passed on', () => {
    const none = render({ set: ['service.type=None'] });
    expect(byKind(none, 'Service')).toHaveLength(0);
    expect(none).toHaveLength(5);
    expect(find(render({ set: ['service.type=ClusterIP'] }), 'Service', NAME).spec.type).toBe('ClusterIP');
    expect(find(render({ set: ['service.type=NodePort'] }), 'Service', NAME).spec.type).toBe('NodePort');
  });

  test('Service settings: annotations, load balancer fields only on LoadBalancer, traffic policies, IP families', () => {
    const values = {
      annotations: { shared: 'all', both: 'chart-wide' },
      service: {
        annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', both: 'service' },
        loadBalancerIP: '10.0.0.10',
        loadBalancerSourceRanges: ['10.0.0.0/8'],
        loadBalancerClass: 'example.com/lb',
        allocateLoadBalancerNodePorts: false,
        externalTrafficPolicy: 'Local',
        ipFamilyPolicy: 'PreferDualStack',
        ipFamilies: ['IPv4', 'IPv6'],
        selectorLabels: { extra: 'yes' },
      },
    };
    const svc = find(render({ values }), 'Service', NAME);
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', shared: 'all', both: 'service' });
    expect(svc.spec).toMatchObject({
      loadBalancerIP: '10.0.0.10',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      loadBalancerClass: 'example.com/lb',
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: 'Local',
      ipFamilyPolicy: 'PreferDualStack',
      ipFamilies: ['IPv4', 'IPv6'],
      selector: { app: NAME, istio: 'ingressgateway', extra: 'yes' },
    });
    const clusterIP = find(render({ values: { service: { ...values.service, type: 'ClusterIP' } } }), 'Service', NAME);
    expect(clusterIP.spec).not.toHaveProperty('loadBalancerClass');
    expect(clusterIP.spec).not.toHaveProperty('allocateLoadBalancerNodePorts');
  });

  test('autoscaling off: replicas from replicaCount, no HPA; unset replicaCount leaves replicas out', () => {
    const objects = render({ set: ['autoscaling.enabled=false', 'replicaCount=3'] });
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(workload(objects).spec.replicas).toBe(3);
    expect(workload(render({ set: ['autoscaling.enabled=false'] })).spec).not.toHaveProperty('replicas');
    // replicaCount is ignored while the HPA owns the replicas
    expect(workload(render({ set: ['replicaCount=3'] })).spec).not.toHaveProperty('replicas');
  });

  test('HPA: memory metric and behavior when set', () => {
    const hpa = find(render({ set: ['autoscaling.targetMemoryUtilizationPercentage=70', 'autoscaling.autoscaleBehavior.scaleDown.stabilizationWindowSeconds=60'] }), 'HorizontalPodAutoscaler', NAME);
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 80], ['memory', 70]]);
    expect(hpa.spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 60 } });
  });

  test('PDB: only with more than one guaranteed replica', () => {
    expect(byKind(render({ set: ['podDisruptionBudget.minAvailable=1'] }), 'PodDisruptionBudget')).toHaveLength(0);
    const auto = render({ set: ['podDisruptionBudget.minAvailable=1', 'autoscaling.minReplicas=2'] });
    expect(auto).toHaveLength(7);
    expect(find(auto, 'PodDisruptionBudget', NAME).spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: NAME, istio: 'ingressgateway' } } });
    const fixed = render({ set: ['podDisruptionBudget.maxUnavailable=1', 'podDisruptionBudget.unhealthyPodEvictionPolicy=AlwaysAllow', 'autoscaling.enabled=false', 'replicaCount=2'] });
    expect(find(fixed, 'PodDisruptionBudget', NAME).spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(byKind(render({ set: ['autoscaling.minReplicas=2'] }), 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('RBAC and ServiceAccount can be turned off; an existing account is used by name', () => {
    const objects = render({ set: ['rbac.enabled=false', 'serviceAccount.create=false'] });
    expect(identities(objects).map((i) => i.split('/')[0])).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Service']);
    expect(workload(objects).spec.template.spec.serviceAccountName).toBe('default');
    const existing = render({ set: ['serviceAccount.create=false', 'serviceAccount.name=edge-sa'] });
    expect(workload(existing).spec.template.spec.serviceAccountName).toBe('edge-sa');
    expect(find(existing, 'RoleBinding', 'edge-sa').subjects).toEqual([{ kind: 'ServiceAccount', name: 'edge-sa' }]);
  });

  test('network policy: status, metrics and every Service target port in; all out', () => {
    const objects = render({ set: ['global.networkPolicy.enabled=true'] });
    expect(objects).toHaveLength(7);
    const np = find(objects, 'NetworkPolicy', NAME);
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: NAME, istio: 'ingressgateway' } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([15021, 15020, 15090, 15021, 80, 443]);
    expect(np.spec.egress).toEqual([{}]);
    expect(np.metadata.labels).toMatchObject({ 'istio.io/rev': 'default', 'operator.istio.io/component': 'Gateway', release: NAME });
    const network = find(render({ set: ['global.networkPolicy.enabled=true', 'networkGateway=n1'] }), 'NetworkPolicy', NAME);
    expect(network.spec.ingress.slice(2).map((r: any) => r.ports[0].port)).toEqual([15021, 15443, 15012, 15017]);
  });

  test('a revision: injected by that revision, NetworkPolicy named for it', () => {
    const objects = render({ set: ['revision=canary', 'global.networkPolicy.enabled=true'] });
    expect(workload(objects).spec.template.metadata.labels).toMatchObject({ 'istio.io/rev': 'canary', 'sidecar.istio.io/inject': 'true' });
    const np = find(objects, 'NetworkPolicy', `${NAME}-canary`);
    expect(np.metadata.labels['istio.io/rev']).toBe('canary');
    // every other name stays: the revision is not part of the gateway's identity
    expect(identities(objects).filter((i) => !i.startsWith('NetworkPolicy')).every((i) => i.endsWith(`/${NAME}`))).toBe(true);
  });

  test('a network gateway: cross-network ports, network label and requested network view', () => {
    const objects = render({ set: ['networkGateway=network-1'] });
    const svc = find(objects, 'Service', NAME);
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ['status-port', 15021, 15021],
      ['tls', 15443, 15443],
      ['tls-istiod', 15012, 15012],
      ['tls-webhook', 15017, 15017],
    ]);
    expect(svc.metadata.labels['topology.istio.io/network']).toBe('network-1');
    const pod = workload(objects).spec.template;
    expect(pod.metadata.labels['topology.istio.io/network']).toBe('network-1');
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'network-1' });
    expect(templateError(major, GATEWAY, { set: ['networkGateway=network-1', 'networkGatewayPorts.tls=null'] })).toContain('networkGatewayPorts.tls is required');
  });

  test('global.* is lifted onto the chart keys; an explicit top-level value wins', () => {
    const objects = render({ set: ['global.imagePullPolicy=Always', 'global.service.type=ClusterIP', 'service.annotations.a=b', 'global.autoscaling.enabled=false', 'global.replicaCount=2'] });
    expect(proxy(objects).imagePullPolicy).toBe('Always');
    const svc = find(objects, 'Service', NAME);
    expect([svc.spec.type, svc.metadata.annotations]).toEqual(['ClusterIP', { a: 'b' }]);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(workload(objects).spec.replicas).toBe(2);
    expect(identities(render({ set: ['global.kind=DaemonSet'] }))).toContain(`DaemonSet/istio-system/${NAME}`);
    const wins = render({ set: ['global.imagePullPolicy=Always', 'imagePullPolicy=IfNotPresent', 'global.service.type=ClusterIP', 'service.type=NodePort'] });
    expect(proxy(wins).imagePullPolicy).toBe('IfNotPresent');
    expect(find(wins, 'Service', NAME).spec.type).toBe('NodePort');
  });

  test('the documented edge case: a top-level value equal to its default loses to a different global value', () => {
    expect(find(render({ set: ['global.service.type=ClusterIP', 'service.type=LoadBalancer'] }), 'Service', NAME).spec.type).toBe('ClusterIP');
  });

  test('pull secrets: {name} entries, or bare names as global.imagePullSecrets gives them', () => {
    const bare = workload(render({ set: ['global.imagePullSecrets={regcred,other}'] }));
    expect(bare.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'other' }]);
    const entries = workload(render({ values: { imagePullSecrets: [{ name: 'regcred' }] } }));
    expect(entries.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('pod and container pass-through settings', () => {
    const values = {
      env: { B: 'two', A: 1 },
      envVarFrom: [{ name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      securityContext: { runAsUser: 1337 },
      containerSecurityContext: { runAsNonRoot: true },
      volumes: [{ name: 'v', emptyDir: {} }],
      volumeMounts: [{ name: 'v', mountPath: '/v' }],
      initContainers: [{ name: 'init', image: 'busybox' }],
      additionalContainers: [{ name: 'extra', image: 'busybox' }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'k', operator: 'Exists' }],
      dnsPolicy: 'ClusterFirstWithHostNet',
      priorityClassName: 'system-cluster-critical',
      lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
      readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } },
      minReadySeconds: 5,
      resources: { limits: null, requests: { cpu: '200m', memory: null } },
      podAnnotations: { 'example.com/pod': 'yes' },
      labels: { tier: 1 },
    };
    const d = workload(render({ values }));
    const pod = d.spec.template;
    const c = pod.spec.containers[0];
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, values.envVarFrom[0]]);
    expect(c.resources).toEqual({ requests: { cpu: '200m' } });
    expect(c.securityContext).toEqual({ runAsNonRoot: true });
    expect([c.volumeMounts, c.lifecycle, c.readinessProbe]).toEqual([values.volumeMounts, values.lifecycle, values.readinessProbe]);
    expect(pod.spec.securityContext).toEqual({ runAsUser: 1337 });
    expect(pod.spec.containers.map((x: any) => x.name)).toEqual(['istio-proxy', 'extra']);
    expect(pod.spec).toMatchObject({ volumes: values.volumes, initContainers: values.initContainers, nodeSelector: values.nodeSelector, tolerations: values.tolerations, dnsPolicy: 'ClusterFirstWithHostNet', priorityClassName: 'system-cluster-critical' });
    expect(d.spec.minReadySeconds).toBe(5);
    expect(pod.metadata.annotations['example.com/pod']).toBe('yes');
    expect(pod.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(pod.metadata.labels.tier).toBe('1');
  });

  test('an empty service.ports fails, naming the key', () => {
    expect(templateError(major, GATEWAY, { values: { service: { ports: [] } } })).toContain('service.ports must not be empty');
    expect(render({ values: { service: { ports: [], type: 'None' } } })).toHaveLength(5);
  });

  test('the egress gateway values file: ClusterIP, istio=egressgateway, two replicas with a PDB', () => {
    const values = YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', 'egress-gateway.yaml'), 'utf8'));
    const objects = template(major, GATEWAY, { release: 'istio-egressgateway', namespace: 'istio-egress', values }).objects;
    const svc = find(objects, 'Service', 'istio-egressgateway');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ app: 'istio-egressgateway', istio: 'egressgateway' });
    expect(find(objects, 'HorizontalPodAutoscaler', 'istio-egressgateway').spec.minReplicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'istio-egressgateway').spec.minAvailable).toBe(1);
    expect(find(objects, 'Deployment', 'istio-egressgateway').spec.template.metadata.labels).toMatchObject({ istio: 'egressgateway', 'istio.io/dataplane-mode': 'none' });
  });

  // helm v3 reaches for a cluster even on a client dry run; test/cluster covers v3
  (major === 'v4' ? test : test.skip)('NOTES: how to select the gateway; keys upstream ignores are warned about', () => {
    const r = helm(major, ['install', NAME, GATEWAY, '-n', 'istio-system', '--dry-run=client', '--set', 'runAsRoot=true']);
    expect(r.stdout).toContain('istio: ingressgateway');
    expect(r.stdout).toContain('WARNING: runAsRoot has no effect; set securityContext and containerSecurityContext instead.');
  });

  if (major === SNAPSHOT_MAJOR) {
    test('snapshot of the default render', () => {
      expect(render()).toMatchSnapshot();
    });
  } else {
    test(`the same objects as helm ${SNAPSHOT_MAJOR} renders`, () => {
      expect(render()).toEqual(template(SNAPSHOT_MAJOR, GATEWAY, { release: NAME }).objects);
    });
  }
});
