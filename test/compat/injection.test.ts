/**
 * Our injection templates (src/charts/istiod/injection/) against upstream's of the pinned
 * release, by their output: each input workload in pods/ is injected offline by the pinned
 * istioctl (`kube-inject`) once with our chart's injector config, values and mesh config and once
 * with upstream's, rendered with the same values. The gateway controller's templates (waypoint,
 * kube-gateway, agentgateway, agentgateway-waypoint), which kube-inject cannot run, are rendered
 * for each scenario in pods/gateways/ by a small program built from the pinned istiod code (see
 * renderGatewayTemplate).
 * The outputs must be equal except for the differences in ALLOWED, each with its reason; an
 * entry that no longer matters fails too.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { chart } from '../support/helm';
import { istioBinaries } from '../../src/cluster/binaries';
import { IntendedDifference, IntendedDifferences, differences } from '../support/compat';
import {
  InjectorInputs,
  gatewayTemplateRenderer,
  injectorInputs,
  kubeInject,
  podOf,
  removeScratch,
  renderGatewayTemplate,
} from '../support/inject';
import { upstreamChart, upstreamModuleDir } from '../support/upstream';

/** Both charts get the same images so hub/tag defaults (stamped by upstream's release process) do not differ. */
const SAME_IMAGES = ['global.hub=docker.io/istio', 'global.tag=1.31.4'];

/** Our templates, as the chart ships them. */
const TEMPLATES_DIR = join(__dirname, '..', '..', 'src', 'charts', 'istiod', 'injection');

const PODS_DIR = join(__dirname, 'pods');
const PODS = readdirSync(PODS_DIR).filter((f) => f.endsWith('.yaml')).sort();
/** Gateway controller inputs; the file name starts with the template it is for. */
const GATEWAYS_DIR = join(PODS_DIR, 'gateways');
const GATEWAYS = readdirSync(GATEWAYS_DIR).filter((f) => f.endsWith('.yaml')).sort();
/** The gateway controller's templates, longest name first so a scenario finds its own and not a prefix of it. */
const GATEWAY_TEMPLATES = ['agentgateway-waypoint', 'agentgateway', 'kube-gateway', 'waypoint'];
function templateFor(scenario: string): string {
  const name = GATEWAY_TEMPLATES.find((t) => scenario.startsWith(t));
  if (!name) throw new Error(`gateway scenario ${scenario} does not start with a template name (${GATEWAY_TEMPLATES.join(', ')})`);
  return name;
}

interface Variant {
  readonly name: string;
  /** `--set` for both charts. */
  readonly set: string[];
  /** `--set-string` for both charts. */
  readonly setString?: string[];
  /** Environment of istioctl, standing in for istiod's. */
  readonly env?: Record<string, string>;
  /** Text upstream's output for `pod` (or gateways/<scenario>) must contain, proving the variant changes what it claims to. */
  readonly shows: { readonly pod: string; readonly text: string };
}

const VARIANTS: Variant[] = [
  { name: 'defaults', set: [], shows: { pod: 'plain.yaml', text: '"name":"istio-init"' } },
  { name: 'a revision', set: ['revision=canary'], shows: { pod: 'plain.yaml', text: 'istiod-canary.istio-system.svc:15012' } },
  { name: 'CNI', set: ['pilot.cni.enabled=true'], shows: { pod: 'plain.yaml', text: '"name":"istio-validation"' } },
  { name: 'CNI with multus', set: ['pilot.cni.enabled=true', 'pilot.cni.provider=multus'], shows: { pod: 'overrides-more.yaml', text: 'macvlan-conf, default/istio-cni' } },
  // kube-inject has no nodes to ask, so it takes native sidecars from istiod's flag
  { name: 'native sidecars (ENABLE_NATIVE_SIDECARS=true)', set: [], env: { ENABLE_NATIVE_SIDECARS: 'true' }, shows: { pod: 'plain.yaml', text: '"restartPolicy":"Always"' } },
  { name: 'native sidecars with CNI', set: ['pilot.cni.enabled=true'], env: { ENABLE_NATIVE_SIDECARS: 'true' }, shows: { pod: 'plain.yaml', text: '"restartPolicy":"Always"' } },
  { name: 'FIPS compliance policy', set: [], env: { COMPLIANCE_POLICY: 'fips-140-3' }, shows: { pod: 'gateway.yaml', text: 'fips140=only' } },
  {
    name: 'proxy settings',
    set: [
      'global.proxy.privileged=true',
      'global.logAsJson=true',
      'global.logging.level=default:warn',
      'global.sts.servicePort=15463',
      'global.proxy.outlierLogPath=/dev/stdout',
      'global.proxy.logLevel=error',
      'global.proxy.componentLogLevel=misc:warn',
      'global.proxy.clusterDomain=corp.local',
      'global.imagePullPolicy=Always',
      'global.imagePullSecrets={pull-a,pull-b}',
      'global.proxy.seccompProfile.type=RuntimeDefault',
      'global.proxy.startupProbe.enabled=false',
      'global.proxy.readinessPeriodSeconds=3',
      'global.proxy.readinessFailureThreshold=10',
      'global.proxy.readinessInitialDelaySeconds=2',
      'global.proxy_init.forceApplyIptables=true',
      'global.nativeNftables=true',
      'global.proxy.holdApplicationUntilProxyStarts=true',
      'global.proxy.capNetBindService=true',
      'global.proxy.includeIPRanges=10.0.0.0/8',
      'global.proxy.excludeIPRanges=10.1.0.0/16',
      'global.proxy.includeOutboundPorts=443\\,8443',
      'global.proxy.excludeOutboundPorts=5432\\,6379',
      'global.proxy.resources.limits=null',
      'global.proxy.image=proxyv2-custom',
      'global.proxy_init.image=registry.example.com/istio/init:1.31.4',
      'global.variant=distroless',
    ],
    setString: ['global.proxy.includeInboundPorts=8080', 'global.proxy.excludeInboundPorts=9999'],
    shows: { pod: 'plain.yaml', text: '"--native-nftables"' },
  },
  { name: 'proxy lifecycle', set: ['global.proxy.lifecycle.preStop.exec.command={sleep,5s}'], shows: { pod: 'plain.yaml', text: '["sleep","5s"]' } },
  {
    name: 'identity and multicluster',
    set: [
      'global.network=net1',
      'global.meshID=mesh1',
      'global.multiCluster.clusterName=cluster-a',
      'global.caAddress=ca.example.com:15012',
      'global.mountMtlsCerts=true',
      'global.trustBundleName=my-bundle',
      'global.sds.token.aud=custom-aud',
      'global.trustDomain=td.example',
    ],
    shows: { pod: 'plain.yaml', text: '"secretName":"istio.web"' },
  },
  {
    name: 'GKE certificates and trust bundles',
    set: ['global.caName=GkeWorkloadCertificate', 'pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true'],
    shows: { pod: 'grpc-agent.yaml', text: 'istio.io:istiod-ca:root-cert' },
  },
  {
    name: 'gateway pod security',
    set: ['gateways.securityContext.runAsUser=1000', 'gateways.seccompProfile.type=RuntimeDefault'],
    shows: { pod: 'gateway.yaml', text: '"runAsUser":1000' },
  },
  {
    name: 'waypoint scheduling on OpenShift',
    set: [
      'global.platform=openshift',
      'global.waypoint.nodeSelector.pool=mesh',
      'global.waypoint.tolerations[0].key=dedicated',
      'global.waypoint.tolerations[0].operator=Exists',
      'global.waypoint.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key=zone',
      'global.waypoint.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator=Exists',
      'global.waypoint.topologySpreadConstraints[0].maxSkew=1',
      'global.waypoint.topologySpreadConstraints[0].topologyKey=zone',
      'global.waypoint.topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway',
      'global.waypoint.resources.requests.cpu=50m',
      'global.waypoint.resources.limits=null',
    ],
    shows: { pod: 'gateways/waypoint.yaml', text: '"nodeSelector":{"pool":"mesh"}' },
  },
  {
    name: 'gateway seccomp profile without a pod security context',
    set: ['gateways.seccompProfile.type=RuntimeDefault'],
    shows: { pod: 'gateways/agentgateway-plain.yaml', text: '"seccompProfile":{"type":"RuntimeDefault"}' },
  },
  {
    // the agentgateway templates' other sides: an image from values, no resources, no istiod CA volume
    name: 'agentgateway image, no proxy resources, custom certificates',
    set: [
      'global.agentgateway.image=registry.example.com/agw/agentgateway:custom',
      'global.proxy.resources=null',
      'global.waypoint.resources=null',
      'global.pilotCertProvider=custom',
    ],
    shows: { pod: 'gateways/agentgateway-plain.yaml', text: '"image":"registry.example.com/agw/agentgateway:custom"' },
  },
  { name: 'datadog tracer', set: ['global.proxy.tracer=datadog'], shows: { pod: 'overrides-more.yaml', text: '"name":"DD_SERVICE"' } },
  {
    name: 'mesh config',
    set: [
      'meshConfig.trustDomain=example.org',
      'meshConfig.inboundTrafficPolicy.mode=LOCALHOST',
      'meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true',
      'meshConfig.proxyListenPort=15101',
      'meshConfig.proxyInboundListenPort=15106',
      'meshConfig.extensionProviders[0].name=otel',
      'meshConfig.extensionProviders[0].opentelemetry.service=otel.observability.svc.cluster.local',
      'meshConfig.extensionProviders[0].opentelemetry.port=4317',
      'meshConfig.extensionProviders[0].opentelemetry.serviceAttributeEnrichment=OTEL_SEMANTIC_CONVENTIONS',
    ],
    setString: ['meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true', 'meshConfig.defaultConfig.proxyMetadata.BOOTSTRAP_XDS_AGENT=true'],
    shows: { pod: 'plain.yaml', text: '"name":"OTEL_RESOURCE_ATTRIBUTES"' },
  },
  {
    name: 'lightstep tracer with TLS',
    set: [
      'global.proxy.tracer=lightstep',
      'global.tracer.lightstep.address=lightstep.example.com:8080',
      'global.tracer.lightstep.accessToken=token',
      'meshConfig.defaultConfig.tracing.tlsSettings.caCertificates=/etc/lightstep/cacert.pem',
    ],
    shows: { pod: 'plain.yaml', text: '"secretName":"lightstep.cacert"' },
  },
  {
    name: 'TPROXY for the whole mesh',
    set: ['meshConfig.defaultConfig.interceptionMode=TPROXY', 'pilot.cni.enabled=true'],
    shows: { pod: 'plain.yaml', text: '"NET_ADMIN"' },
  },
];

/** The pod spec of a workload or pod; undefined for other kinds (the gateway controller's Service, HPA, ...). */
const podSpecOf = (obj: any): any => (['Pod', 'Deployment', 'CronJob', 'Job', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(obj.kind) ? podOf(obj).spec : undefined);

const containersOf = (obj: any): any[] => {
  const spec = podSpecOf(obj) ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
};

/** Every remaining difference between our injected pods and upstream's, with its reason. */
const ALLOWED: Record<string, IntendedDifference<Variant>> = {
  'volumes without a source': {
    reason:
      'upstream writes `emptyDir:` with no value for some scratch volumes (the injector patch and server-side apply drop the null, and the API server defaults a volume without a source to emptyDir: {}); ours says emptyDir: {}, so the stored objects are the same',
    align: (ours, theirs) => [ours, theirs].map((obj) => {
      for (const v of podSpecOf(obj)?.volumes ?? []) {
        if (v.emptyDir === null || Object.keys(v).length === 1) v.emptyDir = {};
      }
      return obj;
    }) as [any, any],
  },
  'layout of JSON env values': {
    reason:
      'PROXY_CONFIG and ISTIO_META_POD_PORTS hold JSON; ours is compact, upstream indents it and adds newlines. pilot-agent parses both, so they are compared parsed',
    align: (ours, theirs) => [ours, theirs].map((obj) => {
      for (const c of containersOf(obj)) {
        for (const e of c.env ?? []) {
          if (['PROXY_CONFIG', 'ISTIO_META_POD_PORTS'].includes(e.name) && typeof e.value === 'string') {
            e.value = JSON.stringify(JSON.parse(e.value));
          }
        }
      }
      return obj;
    }) as [any, any],
  },
};

const intended = new IntendedDifferences(ALLOWED);
let comparisons = 0;

/** The differences between our injected objects and upstream's, less the allowed ones. */
function injectionDifferences(mine: any[], upstream: any[], variant: Variant, label: (o: any) => string): string[] {
  return mine.flatMap((o, i) => differences(...intended.apply(o.kind, o, upstream[i], variant)).map((d) => `${label(o)}: ${d}`));
}

/** Objects that an injection must have touched. */
function injectedStatus(obj: any): string | undefined {
  return podOf(obj).metadata?.annotations?.['sidecar.istio.io/status'];
}

// the first run on a machine builds istioctl and the gateway template renderer
beforeAll(() => {
  istioBinaries();
  gatewayTemplateRenderer();
}, 30 * 60_000);
afterAll(removeScratch);

describe.each(VARIANTS)('injection with $name', (variant) => {
  const { name, set, setString, env, shows } = variant;
  let ours: InjectorInputs;
  let theirs: InjectorInputs;
  beforeAll(() => {
    ours = injectorInputs(chart('istiod'), [...SAME_IMAGES, ...set], `ours-${name}`, setString);
    theirs = injectorInputs(upstreamChart('istiod'), [...SAME_IMAGES, ...set], `upstream-${name}`, setString);
  });

  test('the injector config carries our templates', () => {
    const templates = YAML.parse(ours.config).templates;
    const files = readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual([
      'agentgateway',
      'agentgateway-waypoint',
      'gateway',
      'grpc-agent',
      'grpc-simple',
      'kube-gateway',
      'sidecar',
      'waypoint',
    ]);
    for (const f of files) expect(templates[f.replace(/\.yaml$/, '')]?.trimEnd()).toEqual(readFileSync(join(TEMPLATES_DIR, f), 'utf8').trimEnd());
  });

  test.each(PODS)('%s comes out the same', (pod) => {
    const file = join(PODS_DIR, pod);
    const mine = kubeInject(ours, file, { env });
    const upstream = kubeInject(theirs, file, { env });
    expect(mine.map((o) => o.kind)).toEqual(upstream.map((o) => o.kind));
    // every input is injected, or the comparison would prove nothing
    expect(upstream.map(injectedStatus).every(Boolean)).toBe(true);
    const diffs = injectionDifferences(mine, upstream, variant, () => pod);
    comparisons++;
    expect(diffs).toEqual([]);
    if (pod === shows.pod) expect(JSON.stringify(upstream)).toContain(shows.text);
  });

  test.each(GATEWAYS)('gateway controller input %s renders the same', (scenario) => {
    const file = join(GATEWAYS_DIR, scenario);
    const mine = renderGatewayTemplate(ours, templateFor(scenario), file);
    const upstream = renderGatewayTemplate(theirs, templateFor(scenario), file);
    expect(mine.map((o) => o.kind)).toEqual(upstream.map((o) => o.kind));
    const diffs = injectionDifferences(mine, upstream, variant, (o) => `${scenario} ${o.kind}`);
    comparisons++;
    expect(diffs).toEqual([]);
    if (`gateways/${scenario}` === shows.pod) expect(JSON.stringify(upstream)).toContain(shows.text);
  });
});

test('the pods cover every pod annotation upstream reads', () => {
  const upstreamFiles = join(upstreamChart('istiod'), 'files');
  const read = ['injection-template.yaml', 'gateway-injection-template.yaml', 'grpc-agent.yaml'].map((f) => readFileSync(join(upstreamFiles, f), 'utf8')).join('\n');
  const names = new Set(
    [...read.matchAll(/(?:annotation \.ObjectMeta|index \.ObjectMeta\.Annotations|isset \.ObjectMeta\.Annotations) `([^`]+)`/g)].map((m) => m[1]),
  );
  const inputs = PODS.map((p) => readFileSync(join(PODS_DIR, p), 'utf8')).join('\n');
  const missing = [...names].filter((n) => !inputs.includes(`${n}:`));
  expect(missing).toEqual([]);
});

/** The upstream file each gateway controller template comes from. */
const UPSTREAM_GATEWAY_FILES: Record<string, string> = {
  waypoint: 'waypoint.yaml',
  'kube-gateway': 'kube-gateway.yaml',
  agentgateway: 'agentgateway.yaml',
  'agentgateway-waypoint': 'agentgateway-waypoint.yaml',
};

test.each(GATEWAY_TEMPLATES)('the %s scenarios give every Gateway annotation and label upstream reads', (name) => {
  const read = readFileSync(join(upstreamChart('istiod'), 'files', UPSTREAM_GATEWAY_FILES[name]), 'utf8');
  const keys = [
    ...[...read.matchAll(/annotation \.ObjectMeta `([^`]+)`/g)].map((m) => m[1]),
    ...[...read.matchAll(/index \.InfrastructureLabels "([^"]+)"/g)].map((m) => m[1]),
  ];
  const scenarios = GATEWAYS.filter((s) => templateFor(s) === name);
  expect(scenarios.length).toBeGreaterThan(0);
  const inputs = scenarios.map((s) => readFileSync(join(GATEWAYS_DIR, s), 'utf8')).join('\n');
  expect([...new Set(keys)].filter((k) => !inputs.includes(`${k}:`))).toEqual([]);
});

// istiod picks a gateway class's template by the name in its class table; each must be in our config
test('the injector config has every template the pinned gateway controller names', () => {
  const classInfo = readFileSync(join(upstreamModuleDir(), 'pilot', 'pkg', 'config', 'kube', 'gatewaycommon', 'classinfo.go'), 'utf8');
  const named = [...classInfo.matchAll(/Templates:\s+"([^"]+)"/g)].map((m) => m[1]);
  expect([...new Set(named)].sort()).toEqual([...GATEWAY_TEMPLATES].sort());
  const templates = YAML.parse(injectorInputs(chart('istiod'), SAME_IMAGES, 'class-templates').config).templates;
  expect(named.filter((n) => !templates[n])).toEqual([]);
});

// runs last (tests run in the order they are declared): an allowance nothing needed must go.
// Only a full run can tell, so a run filtered with -t skips the check.
test('every allowance is still needed', () => {
  if (comparisons < VARIANTS.length * (PODS.length + GATEWAYS.length)) return;
  expect(intended.unused()).toEqual([]);
});
