/**
 * Injection through the real istiod and our templates: the gateway chart's pods get the
 * gateway proxy in place of `image: auto`; native sidecars and the classic shape; CNI mode.
 */
import { waitFor } from '../../src/cluster/control-plane';
import { ISTIO_VERSION } from '../../src/versions';
import { chart } from '../support/helm';
import { create, createNamespace, dryRunPod, installIstio, mustHelm, upstreamEnvoy, useControlPlane } from '../support/cluster';

const PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_VERSION}`;

const c = useControlPlane(async (cluster) => {
  await installIstio(cluster);
  await createNamespace(cluster.cp, 'apps', { 'istio-injection': 'enabled' });
  mustHelm(cluster.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace']);
});

const byName = (list: any[] | undefined, name: string) => (list ?? []).find((x: any) => x.name === name);

test('a gateway Deployment\'s pod gets the gateway proxy in place of image auto', async () => {
  const deployment = await c.cp.get('/apis/apps/v1/namespaces/istio-ingress/deployments/istio-ingress');
  expect(deployment.spec.template.spec.containers[0].image).toBe('auto');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...deployment.spec.template.metadata, name: 'gw', namespace: 'istio-ingress' }, spec: deployment.spec.template.spec };
  const r = await create(c.cp, '/api/v1/namespaces/istio-ingress/pods', pod, true);
  expect(r.status).toBe(201);
  const proxy = byName(r.body.spec.containers, 'istio-proxy');
  expect(proxy.image).toBe(PROXY_IMAGE);
  expect(proxy.args.slice(0, 2)).toEqual(['proxy', 'router']);
  // a gateway receives traffic itself: no capture
  expect(byName(r.body.spec.initContainers, 'istio-init')).toBeUndefined();
  expect(JSON.parse(r.body.metadata.annotations['sidecar.istio.io/status']).initContainers ?? null).toBeNull();
});

test('with helm v3 too, the gateway NOTES say how to select it and warn about ignored keys', () => {
  const r = c.cp.helm(['upgrade', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--dry-run', '--set', 'runAsRoot=true'], 'v3');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('istio: ingress');
  expect(r.stdout).toContain('WARNING: runAsRoot has no effect; set securityContext and containerSecurityContext instead.');
});

test('native sidecar: the proxy is a restartable init container, after istio-init', async () => {
  const r = await dryRunPod(c.cp, 'apps', 'native', { annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } });
  const init = r.body.spec.initContainers.map((x: any) => x.name);
  expect(init).toEqual(['istio-init', 'istio-proxy']);
  expect(byName(r.body.spec.initContainers, 'istio-proxy').restartPolicy).toBe('Always');
  expect(byName(r.body.spec.containers, 'istio-proxy')).toBeUndefined();
});

test('classic sidecar: the proxy runs beside the app, istio-init sets up capture with the values', async () => {
  const r = await dryRunPod(c.cp, 'apps', 'classic', {
    annotations: { 'sidecar.istio.io/nativeSidecar': 'false', 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432', 'sidecar.istio.io/proxyCPU': '250m' },
  });
  expect(r.body.spec.containers.map((x: any) => x.name)).toEqual(['app', 'istio-proxy']);
  const proxy = byName(r.body.spec.containers, 'istio-proxy');
  expect(proxy.image).toBe(PROXY_IMAGE);
  expect(proxy.resources.requests.cpu).toBe('250m');
  expect(proxy.ports).toContainEqual(expect.objectContaining({ containerPort: 15090, name: 'http-envoy-prom' }));
  expect(proxy.readinessProbe.httpGet).toMatchObject({ path: '/healthz/ready', port: 15021 });
  const init = byName(r.body.spec.initContainers, 'istio-init');
  expect(init.args).toEqual(expect.arrayContaining(['-p', '15001', '-z', '15006', '-o', '5432']));
  const volumes = r.body.spec.volumes.map((v: any) => v.name);
  expect(volumes).toEqual(expect.arrayContaining(['istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert']));
  const token = r.body.spec.volumes.find((v: any) => v.name === 'istio-token');
  expect(token.projected.sources[0].serviceAccountToken.audience).toBe('istio-ca');
});

test('CNI mode: no istio-init, the CNI plugin captures traffic and a validation container checks it', async () => {
  mustHelm(c.cp, ['upgrade', 'istiod', chart('istiod'), '-n', 'istio-system', ...upstreamEnvoy, '--set', 'pilot.cni.enabled=true']);
  // istiod watches its injector ConfigMap and picks the change up without a restart
  const r = await waitFor('injection to follow the CNI setting', 60_000, async () => {
    const attempt = await dryRunPod(c.cp, 'apps', 'cni', { annotations: { 'sidecar.istio.io/nativeSidecar': 'false' } });
    return byName(attempt.body.spec.initContainers, 'istio-init') ? undefined : attempt;
  });
  const init = r.body.spec.initContainers.map((x: any) => x.name);
  expect(init).toEqual(['istio-validation']);
  expect(r.body.metadata.annotations['sidecar.istio.io/interceptionMode']).toBe('REDIRECT');
  expect(r.body.metadata.annotations['traffic.sidecar.istio.io/includeOutboundIPRanges']).toBe('*');
});
