/**
 * Values of the `istiod` chart: keys and defaults as upstream's istio-discovery chart of the
 * pinned release (its `_internal_defaults_do_not_set` block), so a values file written for it
 * works unchanged. Differences: `global.hub`/`global.tag` carry the release's image (upstream's
 * release process stamps them in), and keys upstream's templates read without listing them in
 * values.yaml are listed here with the default the templates assume.
 */
import { meshConfigSchemaRef } from '../crds/meshconfig';
import { ISTIO_HUB, ISTIO_VERSION } from '../versions';
import { globalShared } from './global';
import { dnsLabel, duration, percentage, resources } from './formats';
import { field, refsOf, section, unsetField } from './model';
import { PLATFORMS, PROFILES, profileSelectors } from './profiles';

type Obj = Record<string, unknown>;

const intOrString = { type: ['integer', 'string'] };
const IMAGE_VARIANTS = ['', 'debug', 'distroless'];
const IP_FAMILY_POLICIES = ['', 'SingleStack', 'PreferDualStack', 'RequireDualStack'];
const IP_FAMILIES = { type: 'string', enum: ['IPv4', 'IPv6'] };

const pilot = section(
  'The istiod Deployment and its Service, autoscaler and webhooks. Every key here is also accepted at\nthe top level (upstream style); pilot.<key> wins when both are set.',
  {
    autoscaleEnabled: field(true, 'Scale istiod with a HorizontalPodAutoscaler (replicaCount is then ignored).'),
    autoscaleMin: field(1, 'Fewest istiod replicas the autoscaler keeps.', { schema: { minimum: 0 } }),
    autoscaleMax: field(5, 'Most istiod replicas the autoscaler may run.', { schema: { minimum: 1 } }),
    autoscaleBehavior: field<Obj>({}, 'HPA spec.behavior (scale-up/scale-down policies), passed through as is.'),
    replicaCount: field(1, 'Fixed number of istiod replicas, used only when autoscaleEnabled is false.', { schema: { minimum: 0 } }),
    rollingMaxSurge: field<number | string>('100%', 'Rolling update maxSurge: a pod count or a percentage.', intOrString),
    rollingMaxUnavailable: field<number | string>('25%', 'Rolling update maxUnavailable: a pod count or a percentage.', intOrString),

    hub: field('', 'Registry for the istiod image; empty uses global.hub.'),
    tag: field<string | number>('', 'Tag of the istiod image; empty uses global.tag.', { type: ['string', 'number'] }),
    variant: field('', 'Image flavour appended to the tag (e.g. distroless); empty uses global.variant.', { enum: IMAGE_VARIANTS }),
    image: field('pilot', 'istiod image name under the hub, or a complete image reference when it contains a "/".'),
    traceSampling: field(1, 'Percentage (0.0-100.0) of requests traced when the mesh enables tracing (PILOT_TRACE_SAMPLING).', {
      type: 'number',
      schema: percentage,
    }),
    resources: field<Obj>(
      { requests: { cpu: '500m', memory: '2048Mi' } },
      'Container resources of istiod; empty entries are dropped. When empty, global.defaultResources applies.',
      { schema: resources },
    ),
    seccompProfile: field<Obj>(
      { type: 'RuntimeDefault' },
      "seccompProfile of the istiod container: the runtime's default, as Pod Security restricted requires (upstream: {}); null leaves it out.",
    ),

    cni: section(
      'How pods reach the mesh when the istio-cni node agent replaces the istio-init container.',
      {
        enabled: field(false, 'istio-cni is installed: injected pods get no privileged istio-init container.'),
        provider: field('default', 'CNI flavour; "multus" adds the Multus network annotation to injected pods.', {
          enum: ['default', 'multus'],
        }),
      },
      // Upstream's ambient and platform profiles write istio-cni chart keys (ambient, cniBinDir, ...) here.
      { open: true },
    ),

    extraContainerArgs: field<unknown[]>([], 'Extra command-line flags appended to the discovery container.'),
    env: field<Obj>({}, 'Extra environment variables of istiod, as NAME: value (values are rendered as strings).'),
    envVarFrom: field<Obj[]>([], 'Extra environment variables in Kubernetes EnvVar form (valueFrom sources).', {
      items: { type: 'object' },
    }),

    taint: section('Node untaint controller: istiod removes a taint from nodes once istio-cni is ready on them.', {
      enabled: field(false, 'Run the untaint controller. Nodes must be tainted by your own provisioning.'),
      namespace: field('', 'Namespace of the istio-cni pods to watch, when it is not the istiod namespace.'),
      name: field('cni.istio.io/not-ready', 'Taint key the controller removes.'),
    }),

    affinity: field<Obj>({}, 'Pod affinity and anti-affinity of istiod.'),
    tolerations: field<Obj[]>([], 'Extra tolerations of istiod (it always tolerates cni.istio.io/not-ready).', {
      items: { type: 'object' },
    }),

    cpu: section('CPU target of the autoscaler.', {
      targetAverageUtilization: field(80, 'Average CPU use, in percent of the request, the autoscaler aims at.', {
        schema: { minimum: 1 },
      }),
    }),
    memory: section(
      'Memory target of the autoscaler; set targetAverageUtilization (percent of the request) to enable it.',
      { targetAverageUtilization: unsetField<number>('Average memory use, in percent of the request, the autoscaler aims at.', { type: 'integer', schema: { minimum: 1 } }) },
      // upstream's chart takes any key here
      { open: true },
    ),

    volumeMounts: field<Obj[]>([], 'Extra volume mounts of the istiod container.', { items: { type: 'object' } }),
    volumes: field<Obj[]>([], 'Extra volumes of the istiod pod.', { items: { type: 'object' } }),
    initContainers: field<Obj[]>([], 'Init containers added to the istiod pod.', { items: { type: 'object' } }),
    nodeSelector: field<Obj>({}, 'Node labels istiod pods must match.'),
    podAnnotations: field<Obj>({}, 'Extra annotations on istiod pods.'),
    serviceAnnotations: field<Obj>({}, 'Annotations on the istiod Service.'),
    serviceAccountAnnotations: field<Obj>({}, 'Annotations on the istiod ServiceAccount (e.g. cloud workload identity).'),
    sidecarInjectorWebhookAnnotations: field<Obj>({}, 'Annotations on the sidecar injector MutatingWebhookConfiguration.'),
    topologySpreadConstraints: field<Obj[]>([], 'How istiod replicas are spread across zones or nodes.', {
      items: { type: 'object' },
    }),

    jwksResolverExtraRootCA: field('', 'Extra PEM root certificates istiod trusts when fetching JWKS keys for RequestAuthentication.'),
    keepaliveMaxServerConnectionAge: field(
      '30m',
      'Longest life of a proxy\'s xDS connection before istiod asks it to reconnect, which rebalances\nproxies across replicas (a Go duration).',
      { schema: duration },
    ),
    deploymentLabels: field<Obj>({}, 'Extra labels on the istiod Deployment.'),
    deploymentAnnotations: field<Obj>({}, 'Extra annotations on the istiod Deployment.'),
    configMap: field(true, 'Render the mesh config ConfigMap (istio[-<revision>]) from meshConfig; false leaves it to you.'),
    podLabels: field<Obj>({}, 'Extra labels on istiod pods.'),
    ipFamilyPolicy: field('', 'ipFamilyPolicy of the istiod Service (dual-stack clusters); empty keeps the cluster default.', {
      enum: IP_FAMILY_POLICIES,
    }),
    ipFamilies: field<string[]>([], 'ipFamilies of the istiod Service, in order of preference.', { items: IP_FAMILIES }),
    trustedZtunnelNamespace: field('', 'Namespace of ztunnel (ambient), when it is not the istiod namespace; istiod trusts\ncertificate requests from ztunnel there.'),
    trustedZtunnelName: field('', 'ServiceAccount name of ztunnel, when it is not "ztunnel".'),

    // Read by upstream's templates, not listed in its values.yaml.
    crlConfigMapName: field('', 'ConfigMap holding the certificate revocation list istiod distributes (PILOT_CRL_CONFIGMAP).'),
    trafficDistribution: field('', 'spec.trafficDistribution of the istiod Service (e.g. PreferClose); empty leaves it unset.'),
    terminationMessagePolicy: field('', 'terminationMessagePolicy of the istiod container; empty keeps the Kubernetes default.', {
      enum: ['', 'File', 'FallbackToLogsOnError'],
    }),
  },
  { alsoAtRoot: true },
);

const proxy = section(
  'The Envoy sidecar and gateway proxy that istiod injects.',
  {
    image: field('proxyv2', 'Proxy image name under global.hub, or a complete image reference when it contains a "/".'),
    autoInject: field('enabled', 'Injection policy: enabled injects into pods of labelled namespaces unless a pod opts out;\ndisabled injects only pods that opt in.', {
      enum: ['enabled', 'disabled'],
    }),
    clusterDomain: field('cluster.local', 'DNS domain of the cluster; must be the same in every Istio chart.'),
    componentLogLevel: field('misc:error', 'Envoy log level per component, as component:level pairs separated by commas.'),
    excludeInboundPorts: field('', 'Inbound ports (comma separated) the sidecar does not intercept.'),
    includeInboundPorts: field('*', 'Inbound ports (comma separated, or "*" for all) the sidecar intercepts.'),
    includeIPRanges: field('*', 'Outbound CIDRs (comma separated, or "*") sent through the sidecar; other traffic bypasses it.'),
    excludeIPRanges: field('', 'Outbound CIDRs (comma separated) that bypass the sidecar.'),
    includeOutboundPorts: field('', 'Outbound ports always sent through the sidecar, whatever the destination IP.'),
    excludeOutboundPorts: field('', 'Outbound ports that bypass the sidecar.'),
    logLevel: field('warning', 'Envoy log level of sidecars and gateways.', {
      enum: ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'],
    }),
    outlierLogPath: field('', 'File Envoy writes outlier-detection events to (e.g. /dev/stdout); empty disables it.'),
    privileged: field(false, 'Run the istio-proxy container privileged.'),
    seccompProfile: field<Obj>({}, 'seccompProfile of the istio-proxy container.'),
    readinessFailureThreshold: field(4, 'Failed readiness probes before the proxy is reported not ready.', { schema: { minimum: 1 } }),
    readinessInitialDelaySeconds: field(0, 'Seconds before the first readiness probe.', { schema: { minimum: 0 } }),
    readinessPeriodSeconds: field(15, 'Seconds between readiness probes.', { schema: { minimum: 1 } }),
    startupProbe: section('Startup probe of the proxy; tune it together with the readiness probe.', {
      enabled: field(true, 'Give the proxy a startup probe (polled every second) before readiness probing starts.'),
      failureThreshold: field(600, 'Failed startup probes (about one per second) before the container is restarted.', {
        schema: { minimum: 1 },
      }),
    }),
    resources: field<Obj>(
      { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      'Container resources of injected proxies.',
      { schema: resources },
    ),
    statusPort: field(15020, 'Port of the proxy agent\'s health and merged-metrics endpoint; 0 turns health checks off.', {
      schema: { minimum: 0, maximum: 65535 },
    }),
    tracer: field('none', 'Tracer configured in the mesh defaults for proxies; none leaves tracing to meshConfig.', {
      enum: ['zipkin', 'lightstep', 'datadog', 'stackdriver', 'openCensusAgent', 'none'],
    }),

    // Read by upstream's templates, not listed in its values.yaml.
    holdApplicationUntilProxyStarts: field(
      false,
      'Start application containers only once the sidecar is ready (prefer meshConfig.defaultConfig.holdApplicationUntilProxyStarts).',
    ),
    lifecycle: field<Obj>({}, 'Container lifecycle hooks of the istio-proxy container, replacing the built-in ones.'),
    capNetBindService: field<boolean | string>(false, 'Give the proxy NET_BIND_SERVICE so it can bind ports below 1024 without running as root.', {
      type: ['boolean', 'string'],
    }),
    variant: field('', 'Image flavour of the proxy written into the mesh defaults; empty uses global.variant.', {
      enum: IMAGE_VARIANTS,
    }),
  },
  // Upstream accepts retired proxy keys (accessLogFile, concurrency, ...) with a deprecation warning.
  { open: true },
);

const global = section(
  'Settings shared by all Istio charts; a parent chart may add more, so unknown keys are accepted here.',
  {
    ...globalShared,
    certSigners: field<string[]>([], 'Signer names (e.g. clusterissuers.cert-manager.io/istio-ca) istiod may approve\nCertificateSigningRequests for.', {
      items: { type: 'string' },
    }),
    defaultPodDisruptionBudget: section('PodDisruptionBudget of the control plane.', {
      enabled: field(true, 'Create a PodDisruptionBudget for istiod when it runs more than one replica.'),
    }),
    defaultResources: field<Obj>({ requests: { cpu: '10m' } }, 'Resources used by a component that sets none of its own.', { schema: resources }),
    hub: field(ISTIO_HUB, 'Registry the Istio images are pulled from.'),
    tag: field<string | number>(ISTIO_VERSION, 'Tag of the Istio images.', { type: ['string', 'number'] }),
    variant: field('', 'Image flavour appended to the tag: debug or distroless; empty for the default image.', {
      enum: IMAGE_VARIANTS,
    }),
    imagePullPolicy: field('', 'imagePullPolicy of Istio containers; empty lets Kubernetes decide (Always for :latest).', {
      enum: ['', 'Always', 'IfNotPresent', 'Never'],
    }),
    istiod: section('istiod features.', {
      enableAnalysis: field(false, 'Run configuration analysis in istiod and report findings in resource status.'),
    }),
    logAsJson: field(false, 'Log in JSON from istiod and the proxies it injects.'),
    nativeNftables: field(false, 'Program traffic redirection with nftables instead of iptables.'),
    logging: section('Control plane logging.', {
      level: field('default:info', 'Log levels per scope, as scope:level pairs separated by commas.'),
    }),
    networkPolicy: section('NetworkPolicy objects.', {
      enabled: field(false, 'Create NetworkPolicies that admit the traffic istiod needs.'),
    }),
    omitSidecarInjectorConfigMap: field(false, 'Do not render the sidecar injector ConfigMap (remote clusters served by another istiod).'),
    operatorManageWebhooks: field(false, 'Leave webhook configurations to an external manager instead of rendering them.'),
    priorityClassName: field('', 'PriorityClass of control plane pods, e.g. system-cluster-critical.'),
    proxy,
    proxy_init: section('The istio-init container that sets up traffic redirection when istio-cni is not used.', {
      image: field('proxyv2', 'Image name under global.hub, or a complete image reference when it contains a "/".'),
      forceApplyIptables: field(false, 'Apply redirection rules even when some already exist (skips the idempotency check; last resort).'),
    }),
    remotePilotAddress: field('', 'Address of an istiod running in another cluster that this cluster uses.'),
    caAddress: field('', 'Certificate authority endpoint of proxies and gateways; empty uses istiod.'),
    externalIstiod: field(false, 'This istiod also serves remote clusters (external control plane).'),
    configCluster: field(false, 'This remote cluster holds the configuration for an external istiod.'),
    configValidation: field(true, 'Validate Istio configuration with an admission webhook.'),
    meshID: field('', 'Identifier of the mesh, shared by all its clusters; empty uses the trust domain.'),
    meshNetworks: field<Obj>({}, 'Networks of the mesh (endpoints and gateways per network) for cross-network routing.'),
    mountMtlsCerts: field(false, 'Use certificates mounted from a Secret instead of ones issued by istiod.'),
    multiCluster: section(
      'Multicluster identity.',
      {
        clusterName: field('', 'Name of this cluster in the mesh; injected proxies are labelled with it.'),
      },
      // Older multicluster guides set enabled/globalDomainSuffix/includeEnvoyFilter, which upstream ignores.
      { open: true },
    ),
    network: field('', 'Network this cluster belongs to, as named in meshNetworks.'),
    pilotCertProvider: field('istiod', 'Who signs istiod\'s serving certificate: istiod (self-signed CA), custom, none, or a\nk8s.io/<signer> Kubernetes signer. kubernetes is rejected, as upstream does.', {
      schema: { pattern: '^(istiod|custom|none|k8s\\.io/.+)$' },
    }),
    sds: section('Secret discovery.', {
      token: section('Service account token proxies present to the CA.', {
        aud: field('istio-ca', 'Audience of the token.'),
      }),
    }),
    sts: section('Security Token Service of the proxy agent.', {
      servicePort: field(0, 'Port of the token exchange service; 0 disables it.', { schema: { minimum: 0, maximum: 65535 } }),
    }),
    caName: field('', 'Name of the certificate authority for workload certificates (e.g. GkeWorkloadCertificate);\nempty leaves the choice to other settings.'),
    waypoint: section('Defaults of waypoint proxy Deployments created by istiod.', {
      resources: field<Obj>(
        { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        'Container resources of waypoint proxies (Envoy and agentgateway waypoints).',
      { schema: resources },
      ),
      affinity: field<Obj>({}, 'Affinity of waypoint pods.'),
      topologySpreadConstraints: field<Obj[]>([], 'Topology spread constraints of waypoint pods.', { items: { type: 'object' } }),
      nodeSelector: field<Obj>({}, 'Node labels waypoint pods must match.'),
      tolerations: field<Obj[]>([], 'Tolerations of waypoint pods.', { items: { type: 'object' } }),
    }),

    // Read by upstream's templates, not listed in its values.yaml.
    enableReaderRBAC: field(true, 'Create the istio-reader ClusterRole and its binding (multicluster remote secrets need them).'),
    readerServiceAccount: section('Bind the reader ClusterRole to an existing ServiceAccount.', {
      name: field('', 'Its name; empty binds istio-reader-service-account in global.istioNamespace.'),
      namespace: field('', 'Its namespace; used only with name.'),
    }),
    trustBundleName: field('', 'ConfigMap (or ClusterTrustBundle name) carrying the root certificate; empty means istio-ca-root-cert.'),
    trustDomain: field('', 'Trust domain given to injected proxies when meshConfig.trustDomain is not set.'),
    platform: field('', 'Kubernetes platform adjustments (same as the top-level platform).', { enum: ['', ...PLATFORMS] }),
    profile: field('', 'Installation profile (same as the top-level profile).', { enum: ['', ...PROFILES] }),
    ipFamilyPolicy: field('', 'ipFamilyPolicy of the istiod Service pointing at a remote istiod.', { enum: IP_FAMILY_POLICIES }),
    ipFamilies: field<string[]>([], 'ipFamilies of the istiod Service pointing at a remote istiod.', { items: IP_FAMILIES }),
    agentgateway: section('Agentgateway proxies for Gateways of class istio-agentgateway[-waypoint] (istiod needs PILOT_ENABLE_AGENTGATEWAY=true).', {
      image: field('', "Complete image reference of agentgateway (one with a /); otherwise global.hub/agentgateway:global.tag.\nA Gateway's gateway.istio.io/agentgatewayImage annotation wins over it."),
    }),
    tracer: section('Legacy tracer settings (prefer meshConfig.defaultConfig.tracing), used with global.proxy.tracer.', {
      datadog: section('Datadog.', {
        address: field('', 'Datadog agent address; empty means $(HOST_IP):8126.'),
      }),
      lightstep: section('Lightstep.', {
        address: field('', 'Lightstep satellite address.'),
        accessToken: field('', 'Lightstep access token.'),
      }),
      zipkin: section('Zipkin.', {
        address: field('', 'Zipkin collector address; empty means zipkin.<istioNamespace>:9411.'),
      }),
    }),
  },
  { open: true },
);

export const istiodValues = section('', {
  pilot,

  sidecarInjectorWebhook: section('Automatic sidecar injection.', {
    neverInjectSelector: field<Obj[]>([], 'Label selectors of pods never injected, whatever the namespace policy.', {
      items: { type: 'object' },
    }),
    alwaysInjectSelector: field<Obj[]>([], 'Label selectors of pods always injected, whatever the namespace policy.', {
      items: { type: 'object' },
    }),
    injectedAnnotations: field<Obj>({}, 'Annotations added to every injected pod.'),
    enableNamespacesByDefault: field(false, 'Inject into every namespace that does not opt out (only one control plane should do so).'),
    reinvocationPolicy: field('Never', 'Whether Kubernetes calls the injector again after later webhooks changed the pod.', {
      enum: ['Never', 'IfNeeded'],
    }),
    rewriteAppHTTPProbe: field(true, 'Route application HTTP probes through the proxy agent so they work under strict mTLS.'),
    templates: field<Obj>({}, 'Custom injection templates by name; a pod picks them with inject.istio.io/templates.\nA name equal to a built-in template replaces it.', {
      schema: { additionalProperties: { type: 'string' } },
    }),
    defaultTemplates: field<string[]>([], 'Templates applied to pods that name none; empty means [sidecar].', {
      items: { type: 'string' },
    }),
  }),

  istiodRemote: section('Clusters that use an istiod running elsewhere.', {
    enabled: field(false, 'Install only what a cluster needs to use a remote istiod; istiod itself is not deployed.'),
    enabledLocalInjectorIstiod: field(false, 'With enabled: run a local istiod that only injects sidecars.'),
    injectionURL: field('', 'URL of the remote sidecar injector (e.g. https://<address>:15017/inject) instead of a Service.'),
    injectionPath: field('/inject', 'Path of the injector behind the Service; may carry parameters such as /inject/cluster/c1/net/n1.'),
    injectionCABundle: field('', 'PEM bundle (base64) that signs the injector endpoint.'),
  }),

  telemetry: section('Default telemetry providers of the mesh.', {
    enabled: field(true, 'Configure default telemetry at all.'),
    v2: section('Telemetry v2.', {
      enabled: field(true, 'Turn telemetry v2 (and its metadata exchange) on.'),
      prometheus: section('Prometheus metrics.', {
        enabled: field(true, 'Make prometheus the default metrics provider.'),
      }),
      stackdriver: section('Stackdriver (Google Cloud) telemetry.', {
        enabled: field(false, 'Make stackdriver a default metrics and access-log provider.'),
      }),
    }),
  }),

  revision: field('', 'Revision of this control plane, used in its labels and object names so several can run side by side\n(a DNS label: lower-case letters, digits and dashes).', { schema: dnsLabel }),
  revisionTags: field<string[]>([], 'Tags (aliases) that point at this revision; each gets its injector webhook and Service\n(each a DNS label).', {
    items: { ...dnsLabel, minLength: 1 },
  }),
  ownerName: field('', 'Owner written into install.operator.istio.io/owning-resource labels; empty means unknown.'),
  meshConfig: field<Obj>({ enablePrometheusMerge: true }, 'MeshConfig of the mesh, merged over the settings derived from other values. Checked against\nthe MeshConfig of the pinned istio.io/api (unknown keys, wrong types and enum values fail).', {
    schema: meshConfigSchemaRef(),
  }),

  experimental: section('Experimental features.', {
    stableValidationPolicy: field(false, 'Reject, with a ValidatingAdmissionPolicy, the Istio APIs and fields that are not yet stable.'),
  }),

  global,

  base: section('Istio config validation served by this istiod.', {
    enableIstioConfigCRDs: field(true, 'Read by istioctl only; the chart ignores it.'),
    validationURL: field('', 'Send validation to this URL instead of the istiod Service.'),
    validationCABundle: field('', 'PEM bundle (base64) that signs the validation endpoint; setting it also pins failurePolicy to Fail.'),
    validationFailurePolicy: field('', 'failurePolicy of the validation webhook; empty starts with Ignore and lets istiod switch it to Fail.', {
      enum: ['', 'Fail', 'Ignore'],
    }),
  }),

  gateways: section(
    'Pod security of gateways injected or deployed by istiod.',
    {
      securityContext: field<Obj>({}, 'Pod securityContext of gateways; empty grants just what binding ports 80 and 443 needs.'),
      seccompProfile: field<Obj>({}, 'seccompProfile of gateway pods, e.g. {type: RuntimeDefault}.'),
    },
    // Upstream's demo profile and istioctl-era values put per-gateway blocks (istio-ingressgateway, ...) here.
    { open: true },
  ),

  gatewayClasses: field<Obj>({}, 'Per-GatewayClass overrides of the objects istiod creates for Gateways\n(e.g. istio: {service: {spec: {type: ClusterIP}}}).'),

  pdb: section(
    'PodDisruptionBudget of istiod.',
    {
      minAvailable: field<number | string>(1, 'Pods that must stay available (count or percentage); ignored when maxUnavailable is set.', intOrString),
      // tested for presence (hasKey), so it cannot carry a default
      maxUnavailable: unsetField<number | string>('Pods that may be unavailable (count or percentage); replaces minAvailable when set.', intOrString),
      unhealthyPodEvictionPolicy: field('', 'When unhealthy pods may be evicted; empty keeps the Kubernetes default.', {
        enum: ['', 'IfHealthyBudget', 'AlwaysAllow'],
      }),
    },
  ),

  ...profileSelectors,
});

export const V = refsOf(istiodValues);
