/**
 * Differential check against upstream's istiod chart of the pinned release: the same values
 * give the same set of objects, equal field by field except the intended differences listed
 * here, each with its reason.
 */
import { RUNTIME_DEFAULT_SECCOMP, STABLE_POLICY_IN_OUR_CEL, compareWithUpstream, istiodConfigMapDifferences } from '../support/compat';

compareWithUpstream({
  chart: 'istiod',
  release: 'istiod',
  // the same images for both, so hub/tag defaults (stamped by upstream's release process) do not differ
  set: ['global.hub=docker.io/istio', 'global.tag=1.31.4'],
  variants: [
    ['defaults', {}],
    ['a revision', { set: ['revision=canary'] }],
    ['another namespace', { namespace: 'mesh' }],
    ['fixed replicas (PDB instead of HPA)', { set: ['autoscaleEnabled=false', 'replicaCount=2'] }],
    ['pilot.* keys', { set: ['pilot.autoscaleMin=2', 'pilot.env.FOO=bar', 'pilot.resources.requests.cpu=1'] }],
    ['cluster scope only', { set: ['global.resourceScope=cluster'] }],
    ['namespace scope only', { set: ['global.resourceScope=namespace'] }],
    ['injection everywhere', { set: ['sidecarInjectorWebhook.enableNamespacesByDefault=true'] }],
    ['extra JWKS roots', { set: ['jwksResolverExtraRootCA=PEM'] }],
    ['no validation', { set: ['global.configValidation=false'] }],
    ['webhooks managed elsewhere', { set: ['global.operatorManageWebhooks=true'] }],
    ['no injector ConfigMap', { set: ['global.omitSidecarInjectorConfigMap=true'] }],
    ['stackdriver tracer', { set: ['global.proxy.tracer=stackdriver'] }],
    ['datadog tracer', { set: ['global.proxy.tracer=datadog'] }],
    ['lightstep tracer', { set: ['global.proxy.tracer=lightstep', 'global.tracer.lightstep.address=ls:8080', 'global.tracer.lightstep.accessToken=t'] }],
    ['mesh settings', { set: ['meshConfig.trustDomain=example.org', 'meshConfig.accessLogFile=/dev/stdout', 'global.meshID=m1', 'global.proxy.tracer=zipkin'] }],
    ['an injection URL', { set: ['istiodRemote.injectionURL=https://x:15017/inject'] }],
    ['gateway classes', { set: ['gatewayClasses.istio.deployment.spec.replicas=2'] }],
    ['revision tags', { set: ['revisionTags={prod,default}'] }],
    ['tags on a revision', { set: ['revision=canary', 'revisionTags={prod}'] }],
    ['remote with an IP address', { set: ['istiodRemote.enabled=true', 'global.remotePilotAddress=10.0.0.1'] }],
    ['remote with a host name', { set: ['istiodRemote.enabled=true', 'global.remotePilotAddress=istiod.example.com'] }],
    ['remote config cluster', { set: ['istiodRemote.enabled=true', 'global.configCluster=true', 'global.remotePilotAddress=10.0.0.1'] }],
    ['remote with a local injector', { set: ['istiodRemote.enabled=true', 'istiodRemote.enabledLocalInjectorIstiod=true', 'global.remotePilotAddress=10.0.0.1'] }],
    ['network policy', { set: ['global.networkPolicy.enabled=true'] }],
    ['no reader RBAC', { set: ['global.enableReaderRBAC=false'] }],
    ['gateway deployment controller off', { set: ['env.PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER=false'] }],
    ['the stable validation policy', { set: ['experimental.stableValidationPolicy=true'] }],
    ['profile demo', { set: ['profile=demo'] }],
    ['profile demo with user overrides', { set: ['profile=demo', 'pilot.traceSampling=5', 'autoscaleEnabled=true', 'meshConfig.accessLogFile=/tmp/log'] }],
    ['global.profile ambient', { set: ['global.profile=ambient'] }],
    ['profile preview', { set: ['profile=preview'] }],
    ['profile remote', { set: ['profile=remote'] }],
    ['profile stable', { set: ['profile=stable'] }],
    ['compatibility version 1.25', { set: ['compatibilityVersion=1.25'] }],
    ['compatibility version 1.28 as a number', { set: ['compatibilityVersion=1.28'] }],
    ['platform openshift with ambient', { set: ['profile=ambient', 'platform=openshift'] }],
    ['platform k3s', { set: ['global.platform=k3s'] }],
  ],
  intended: {
    'the stable policy in our own CEL': STABLE_POLICY_IN_OUR_CEL,
    ...istiodConfigMapDifferences('upstream'),
    'restricted by default: RuntimeDefault seccomp': RUNTIME_DEFAULT_SECCOMP,
  },
});
