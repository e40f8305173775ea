/**
 * Differential check against upstream's istiod chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the differences listed here,
 * each with its reason.
 */
import * as YAML from 'yaml';
import { HelmOptions, chart } from '../support/helm';
import { missingFrom, renderBoth } from '../support/compat';

/** Both charts get the same images so hub/tag defaults (stamped by upstream's release process) do not differ. */
const SAME_IMAGES = ['global.hub=docker.io/istio', 'global.tag=1.31.4'];

const VARIANTS: Array<[string, string[]]> = [
  ['defaults', []],
  ['a revision', ['revision=canary']],
  ['another namespace', []],
  ['fixed replicas (PDB instead of HPA)', ['autoscaleEnabled=false', 'replicaCount=2']],
  ['pilot.* keys', ['pilot.autoscaleMin=2', 'pilot.env.FOO=bar', 'pilot.resources.requests.cpu=1']],
  ['cluster scope only', ['global.resourceScope=cluster']],
  ['namespace scope only', ['global.resourceScope=namespace']],
  ['injection everywhere', ['sidecarInjectorWebhook.enableNamespacesByDefault=true']],
  ['extra JWKS roots', ['jwksResolverExtraRootCA=PEM']],
  ['no validation', ['global.configValidation=false']],
  ['webhooks managed elsewhere', ['global.operatorManageWebhooks=true']],
  ['no injector ConfigMap', ['global.omitSidecarInjectorConfigMap=true']],
  ['stackdriver tracer', ['global.proxy.tracer=stackdriver']],
  ['datadog tracer', ['global.proxy.tracer=datadog']],
  ['lightstep tracer', ['global.proxy.tracer=lightstep', 'global.tracer.lightstep.address=ls:8080', 'global.tracer.lightstep.accessToken=t']],
  ['mesh settings', ['meshConfig.trustDomain=example.org', 'meshConfig.accessLogFile=/dev/stdout', 'global.meshID=m1', 'global.proxy.tracer=zipkin']],
  ['an injection URL', ['istiodRemote.injectionURL=https://x:15017/inject']],
  ['gateway classes', ['gatewayClasses.istio.deployment.spec.replicas=2']],
  ['revision tags', ['revisionTags={prod,default}']],
  ['tags on a revision', ['revision=canary', 'revisionTags={prod}']],
  ['remote with an IP address', ['istiodRemote.enabled=true', 'global.remotePilotAddress=10.0.0.1']],
  ['remote with a host name', ['istiodRemote.enabled=true', 'global.remotePilotAddress=istiod.example.com']],
  ['remote config cluster', ['istiodRemote.enabled=true', 'global.configCluster=true', 'global.remotePilotAddress=10.0.0.1']],
  ['remote with a local injector', ['istiodRemote.enabled=true', 'istiodRemote.enabledLocalInjectorIstiod=true', 'global.remotePilotAddress=10.0.0.1']],
  ['network policy', ['global.networkPolicy.enabled=true']],
  ['no reader RBAC', ['global.enableReaderRBAC=false']],
  ['gateway deployment controller off', ['env.PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER=false']],
  ['the stable validation policy', ['experimental.stableValidationPolicy=true']],
  ['profile demo', ['profile=demo']],
  ['profile demo with user overrides', ['profile=demo', 'pilot.traceSampling=5', 'autoscaleEnabled=true', 'meshConfig.accessLogFile=/tmp/log']],
  ['global.profile ambient', ['global.profile=ambient']],
  ['profile preview', ['profile=preview']],
  ['profile remote', ['profile=remote']],
  ['profile stable', ['profile=stable']],
  ['compatibility version 1.25', ['compatibilityVersion=1.25']],
  ['compatibility version 1.28 as a number', ['compatibilityVersion=1.28']],
  ['platform openshift with ambient', ['profile=ambient', 'platform=openshift']],
  ['platform k3s', ['global.platform=k3s']],
];

/**
 * Objects whose content differs by design, compared by what must still hold:
 * - values[-rev]: a debug dump; ours keeps the Deployment keys under `pilot` and has no
 *   `original-values` (Helm does not tell a chart which values the user gave);
 * - istio-sidecar-injector: our `values` carries every key upstream's does with the same value,
 *   plus the keys upstream's templates read without declaring them; `config` templates are
 *   compared by the injection tests;
 * - istio: the mesh config is compared parsed (key order and comments differ);
 * - the stable-channel ValidatingAdmissionPolicy states the same rules in our own CEL.
 */
function compare(id: string, ours: any, theirs: any): string[] {
  if (id.startsWith('ValidatingAdmissionPolicy/')) {
    // same rules in our own CEL, with a message each (proven against the apiserver by the cluster tests)
    const strip = (o: any) => ({ ...o, spec: { ...o.spec, validations: undefined, variables: undefined } });
    return [...missingFrom(strip(ours), strip(theirs)), ...missingFrom(strip(theirs), strip(ours))];
  }
  if (id.startsWith('ConfigMap/') && /\/values(-\w+)?$/.test(id)) {
    return missingFrom({ ...ours.metadata, annotations: undefined }, { ...theirs.metadata, annotations: undefined });
  }
  if (id.startsWith('ConfigMap/') && id.includes('/istio-sidecar-injector')) {
    const config = (o: any) => {
      const c = YAML.parse(o.data.config);
      delete c.templates;
      delete c.template;
      c.injectedAnnotations ??= {}; // upstream writes an empty map as null
      return c;
    };
    return [
      ...missingFrom(JSON.parse(ours.data.values), JSON.parse(theirs.data.values), 'values'),
      ...missingFrom(config(ours), config(theirs), 'config'),
      ...missingFrom(ours.metadata, theirs.metadata, 'metadata'),
    ];
  }
  if (id.startsWith('ConfigMap/') && /\/istio(-\w+)?$/.test(id)) {
    return [
      ...missingFrom(YAML.parse(ours.data.mesh), YAML.parse(theirs.data.mesh), 'mesh'),
      ...missingFrom(YAML.parse(theirs.data.mesh), YAML.parse(ours.data.mesh), 'mesh (extra)'),
      ...missingFrom(YAML.parse(ours.data.meshNetworks), YAML.parse(theirs.data.meshNetworks), 'meshNetworks'),
      ...missingFrom(ours.metadata, theirs.metadata, 'metadata'),
    ];
  }
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [...missingFrom(ours, theirs), ...missingFrom(theirs, ours).map((d) => `extra in ours: ${d}`)];
}

describe.each(VARIANTS)('istiod chart vs upstream: %s', (name, set) => {
  const options: HelmOptions = { set: [...SAME_IMAGES, ...set], namespace: name === 'another namespace' ? 'mesh' : 'istio-system' };
  const { ours, theirs } = renderBoth('istiod', chart('istiod'), 'istiod', options);

  test('the same objects (kind, namespace, name)', () => {
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  });

  test('each object is equal, apart from the documented differences', () => {
    const differences = [...theirs.keys()].filter((id) => ours.has(id)).flatMap((id) => compare(id, ours.get(id), theirs.get(id)).map((d) => `${id} ${d}`));
    expect(differences).toEqual([]);
  });
});
