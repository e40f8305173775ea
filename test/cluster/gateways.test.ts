/**
 * Traffic entering and leaving the mesh on the local cluster: the gateway chart as ingress
 * (Istio Gateway, Kubernetes Ingress) and as egress gateway, a Gateway API Gateway that
 * istiod deploys itself from the kube-gateway template, and a manually injected workload.
 * Requests from this machine reach the ingress through its LoadBalancer address.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gatewayApiCrds } from '../../src/cluster/gateway-api';
import { httpGet } from '../../src/cluster/http';
import { httpbin, ingressRoute, sleep } from '../../src/cluster/samples';
import { chart } from '../support/helm';
import { createNamespace, installIstio, mustHelm, useControlPlane } from '../support/cluster';
import { clientCert, curl, eventually } from '../support/mesh';

const EGRESS_VALUES = join(__dirname, '..', '..', 'values', 'egress-gateway.yaml');

const c = useControlPlane(async (cluster) => {
  // the Kubernetes Ingress is served by the gateway this release installs (label istio: ingress)
  await installIstio(cluster, ['--set', 'meshConfig.ingressService=istio-ingress', '--set', 'meshConfig.ingressSelector=ingress']);
  mustHelm(cluster.cp, ['install', 'istio-ingress', chart('gateway'), '-n', 'istio-ingress', '--create-namespace', '--wait', '--timeout', '3m']);
  await createNamespace(cluster.cp, 'mesh', { 'istio-injection': 'enabled' });
  cluster.cp.apply(httpbin({ namespace: 'mesh' }));
  await cluster.cluster.waitForRollout('mesh', 'httpbin');
});

/** A request from this machine to the ingress gateway's LoadBalancer address. */
async function viaIngress(host: string, path = '/headers'): Promise<{ status: number; body: string }> {
  const address = await c.cluster.loadBalancerAddress('istio-ingress', 'istio-ingress');
  return httpGet(`http://${address}${path}`, host);
}

test('the ingress gateway Service got a LoadBalancer address, so helm --wait completed', async () => {
  const svc = await c.cp.get('/api/v1/namespaces/istio-ingress/services/istio-ingress');
  expect(svc.status.loadBalancer.ingress[0].ip).toMatch(/^198\.51\.100\./);
});

test('ingress: a Gateway and VirtualService route a request from this machine to httpbin, with mTLS to the backend', async () => {
  c.cp.apply(ingressRoute({ namespace: 'mesh', name: 'web', host: 'web.example.com', service: 'httpbin', port: 8000 }));
  const r = await eventually(async () => {
    const x = await viaIngress('web.example.com');
    expect(x.status).toBe(200);
    return x;
  }, 60_000);
  expect(clientCert(r.body).uri).toBe('spiffe://cluster.local/ns/istio-ingress/sa/istio-ingress');
  // a host no Gateway serves is not routed
  expect((await viaIngress('other.example.com')).status).toBe(404);
});

test('a Kubernetes Ingress of class istio is served by the ingress gateway', async () => {
  // istiod serves the Ingresses of the IngressClass naming its controller, as Istio's docs have users create it
  c.cp.apply(`
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: istio }
spec: { controller: istio.io/ingress-controller }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: httpbin, namespace: mesh }
spec:
  ingressClassName: istio
  rules:
  - host: ingress.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: httpbin, port: { number: 8000 } } } }] }
`);
  const r = await eventually(async () => {
    const x = await viaIngress('ingress.example.com');
    expect(x.status).toBe(200);
    return x;
  }, 60_000);
  expect(clientCert(r.body).uri).toBe('spiffe://cluster.local/ns/istio-ingress/sa/istio-ingress');
});

describe('egress', () => {
  beforeAll(async () => {
    mustHelm(c.cp, ['install', 'istio-egressgateway', chart('gateway'), '-n', 'istio-egress', '--create-namespace', '-f', EGRESS_VALUES, '--wait', '--timeout', '3m']);
    // the "external" service: a pod of ours outside the mesh, reached by a name only the ServiceEntry knows
    await createNamespace(c.cp, 'outside');
    c.cp.apply(httpbin({ namespace: 'outside', name: 'external' }));
    await c.cluster.waitForRollout('outside', 'external');
    const ip = (await c.cp.get('/api/v1/namespaces/outside/services/external')).spec.clusterIP;
    c.cp.apply(sleep({ namespace: 'mesh', hostAliases: [{ ip, hostnames: ['httpbin.external.example'] }] }));
    await c.cluster.waitForRollout('mesh', 'sleep');
  }, 600_000);

  test('a ServiceEntry host is reached through the egress gateway', async () => {
    c.cp.apply(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: external, namespace: mesh }
spec:
  hosts: [httpbin.external.example]
  location: MESH_EXTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: DNS
  endpoints: [{ address: external.outside.svc.cluster.local, ports: { http: 8000 } }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: egress, namespace: istio-egress }
spec:
  selector: { istio: egressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: [httpbin.external.example] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: external-via-egress, namespace: mesh }
spec:
  hosts: [httpbin.external.example]
  gateways: [mesh, istio-egress/egress]
  http:
  - match: [{ gateways: [mesh], port: 80 }]
    route: [{ destination: { host: istio-egressgateway.istio-egress.svc.cluster.local, port: { number: 80 } } }]
  - match: [{ gateways: [istio-egress/egress], port: 80 }]
    route: [{ destination: { host: httpbin.external.example, port: { number: 80 } } }]
`);
    const r = await eventually(async () => {
      const x = await curl(c, 'mesh', 'app=sleep', 'sleep', 'http://httpbin.external.example/headers');
      expect(x.status).toBe(200);
      return x;
    });
    // the external server saw it relayed by an edge proxy, which names sleep as the client it
    // received it from: that is the egress gateway (sleep's own sidecar adds no such header)
    const [client] = await c.cluster.runningPods('mesh', 'app=sleep');
    expect(JSON.parse(r.body).headers['X-Envoy-External-Address']).toEqual([client.status.podIP]);
    // without the route through the gateway, the sidecar sends it straight to the endpoint
    c.cp.kubectl(['-n', 'mesh', 'delete', 'virtualservice', 'external-via-egress']);
    await eventually(async () => {
      const direct = await curl(c, 'mesh', 'app=sleep', 'sleep', 'http://httpbin.external.example/headers');
      expect(direct.status).toBe(200);
      expect(JSON.parse(direct.body).headers['X-Envoy-External-Address']).toBeUndefined();
    });
  });
});

test('Gateway API: a Gateway of class istio gets its Deployment from istiod, and an HTTPRoute through it answers 200', async () => {
  c.cp.apply(gatewayApiCrds());
  const established = c.cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/gateways.gateway.networking.k8s.io', 'crd/httproutes.gateway.networking.k8s.io']);
  expect(established.status).toBe(0);
  await eventually(async () => expect((await c.cp.get('/apis/gateway.networking.k8s.io/v1/gatewayclasses/istio'))?.metadata.name).toBe('istio'), 60_000);
  c.cp.apply(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: api, namespace: mesh }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP, hostname: api.example.com }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: httpbin, namespace: mesh }
spec:
  parentRefs: [{ name: api }]
  rules: [{ backendRefs: [{ name: httpbin, port: 8000 }] }]
`);
  await eventually(async () => expect(await c.cp.get('/apis/apps/v1/namespaces/mesh/deployments/api-istio')).toBeDefined(), 60_000);
  await c.cluster.waitForRollout('mesh', 'api-istio');
  const gw = await eventually(async () => {
    const g = await c.cp.get('/apis/gateway.networking.k8s.io/v1/namespaces/mesh/gateways/api');
    expect(g.status.conditions.find((x: any) => x.type === 'Programmed')?.status).toBe('True');
    return g;
  }, 60_000);
  const address = gw.status.addresses[0].value;
  const r = await eventually(async () => {
    const x = await httpGet(`http://${address}/headers`, 'api.example.com');
    expect(x.status).toBe(200);
    return x.body;
  });
  expect(clientCert(r).uri).toBe('spiffe://cluster.local/ns/mesh/sa/api-istio');
});

test('manual injection: a Deployment injected by istioctl kube-inject runs in an unlabelled namespace and carries mTLS', async () => {
  await createNamespace(c.cp, 'manual');
  // the offline flow of Istio's docs: the injector's and mesh's ConfigMaps as files, no istiod needed
  const dir = mkdtempSync(join(c.cp.dir, 'kube-inject-'));
  const injector = (await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio-sidecar-injector')).data;
  const mesh = (await c.cp.get('/api/v1/namespaces/istio-system/configmaps/istio')).data.mesh;
  writeFileSync(join(dir, 'inject-config.yaml'), injector.config);
  writeFileSync(join(dir, 'inject-values.yaml'), injector.values);
  writeFileSync(join(dir, 'mesh-config.yaml'), mesh);
  const r = c.cp.run(c.cp.binaries.istioctl, ['kube-inject', '--kubeconfig', c.cp.kubeconfig, '--revision', 'default', '--injectConfigFile', join(dir, 'inject-config.yaml'), '--valuesFile', join(dir, 'inject-values.yaml'), '--meshConfigFile', join(dir, 'mesh-config.yaml'), '-f', '-'], sleep({ namespace: 'manual' }));
  if (r.status !== 0) throw new Error(`istioctl kube-inject failed: ${r.stderr}`);
  c.cp.apply(r.stdout);
  await c.cluster.waitForRollout('manual', 'sleep');
  const [pod] = await c.cluster.runningPods('manual', 'app=sleep');
  expect([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((x: any) => x.name)).toContain('istio-proxy');
  const reply = await eventually(async () => {
    const x = await curl(c, 'manual', 'app=sleep', 'sleep', 'http://httpbin.mesh:8000/headers');
    expect(x.status).toBe(200);
    return x;
  });
  expect(clientCert(reply.body).uri).toBe('spiffe://cluster.local/ns/manual/sa/sleep');
});
