/**
 * IstioOperator's node agents, `components.cni` and `components.ztunnel`, as releases of our
 * `cni` and `ztunnel` charts. Both are DaemonSets, so the `k8s` fields that only a Deployment
 * has (replicas, autoscaling, strategy, a disruption budget, a Service) are refused by name
 * rather than patched into an object that would not validate, as istioctl would.
 *
 * Values, as istioctl hands them to the two charts:
 * - cni: `values.cni.*` (the chart takes them at its top level), `global`, and the top-level
 *   settings every chart reads (revision, compatibility version);
 * - ztunnel: `values.ztunnel.*` lifted to the top level, with `global` and the same settings.
 * values.ts has already checked them against the charts' models; `global` is cut down here to
 * the keys each chart's model knows.
 */
import { Profile } from '../profiles';
import { InputError, deepMerge } from './errors';
import { userOverlay } from './gateways';
import { Overlay } from './overlays';
import { NODE_AGENT_MODELS, knownPart } from './values';

type Values = Record<string, unknown>;

export type NodeAgent = 'cni' | 'ztunnel';

interface AgentShape {
  readonly release: string;
  /** The DaemonSet's name and its main container, the targets of the `k8s` patches. */
  readonly daemonSet: (values: Values) => string;
  readonly container: string;
}

const AGENTS: Record<NodeAgent, AgentShape> = {
  cni: { release: 'istio-cni', daemonSet: () => 'istio-cni-node', container: 'install-cni' },
  ztunnel: { release: 'ztunnel', daemonSet: (v) => (v.resourceName as string | undefined) || 'ztunnel', container: 'istio-proxy' },
};

/** `k8s` fields a DaemonSet has nothing for, and why. */
const DEPLOYMENT_ONLY: Record<string, string> = {
  replicaCount: 'a DaemonSet runs one pod per node; it has no replica count',
  hpaSpec: 'a DaemonSet is not autoscaled',
  podDisruptionBudget: 'the node agents get no PodDisruptionBudget (one pod per node, drained with the node)',
  strategy: 'a DaemonSet takes updateStrategy; set values.<chart>.updateStrategy instead',
  service: 'the node agents have no Service',
  serviceAnnotations: 'the node agents have no Service',
};

export interface NodeAgentInput {
  readonly agent: NodeAgent;
  /** spec.components.<agent>, merged with the profile's. */
  readonly component: Values;
  /** spec.values.<agent>, as the user (and unvalidatedValues) set it. */
  readonly own: Values;
  readonly global: Values;
  readonly spec: Values;
  readonly profile: Profile;
  readonly revision: string;
  readonly namespace: string;
}

export interface NodeAgentRelease {
  readonly chart: NodeAgent;
  readonly release: string;
  readonly namespace: string;
  readonly values: Values;
  readonly overlays: Overlay[];
}

export function nodeAgentRelease(a: NodeAgentInput): NodeAgentRelease {
  const shape = AGENTS[a.agent];
  const path = `spec.components.${a.agent}`;
  // the profile's values for the chart, then the user's (so a user value always wins)
  const values = deepMerge(a.profile.values[a.agent] ?? {}, a.own) as Values;
  const global: Values = {};
  if (a.spec.hub !== undefined) global.hub = a.spec.hub;
  if (a.spec.tag !== undefined) global.tag = String(a.spec.tag);
  const globals = knownPart(deepMerge(global, a.global) as Values, NODE_AGENT_MODELS[a.agent].fields.global);
  if (Object.keys(globals).length) values.global = deepMerge(values.global ?? {}, globals);
  if (a.revision) values.revision = a.revision;
  if (a.spec.compatibilityVersion !== undefined && values.compatibilityVersion === undefined) values.compatibilityVersion = String(a.spec.compatibilityVersion);
  if (a.component.hub !== undefined) values.hub = a.component.hub;
  if (a.component.tag !== undefined) values.tag = String(a.component.tag);

  const k8s = (a.component.k8s ?? {}) as Values;
  for (const k of Object.keys(k8s)) {
    if (DEPLOYMENT_ONLY[k]) throw new InputError(`${path}.k8s.${k}`, `unsupported: ${DEPLOYMENT_ONLY[k].replace('<chart>', a.agent)}`);
  }
  if (k8s.resources) values.resources = deepMerge(values.resources ?? {}, k8s.resources);

  // the rest has no chart value of both charts: strategic-merge patches of the DaemonSet, as istioctl applies them
  const name = shape.daemonSet(values);
  const overlays: Overlay[] = [];
  const patch = (field: string, merge: Values) => overlays.push({ source: `${path}.k8s.${field}`, kind: 'DaemonSet', name, merge });
  const pod = (fields: Values) => ({ spec: { template: { spec: fields } } });
  const container = (fields: Values) => pod({ containers: [{ name: shape.container, ...fields }] });
  for (const f of ['affinity', 'nodeSelector', 'tolerations', 'priorityClassName', 'securityContext'] as const) {
    if (k8s[f] !== undefined) patch(f, pod({ [f]: k8s[f] }));
  }
  if (k8s.podAnnotations) patch('podAnnotations', { spec: { template: { metadata: { annotations: k8s.podAnnotations } } } });
  for (const f of ['env', 'imagePullPolicy', 'readinessProbe'] as const) {
    if (k8s[f] !== undefined) patch(f, container({ [f]: k8s[f] }));
  }
  ((k8s.overlays ?? []) as Values[]).forEach((o, i) => overlays.push(userOverlay(o, `${path}.k8s.overlays[${i}]`)));

  const namespace = (a.component.namespace as string | undefined) || a.namespace;
  return { chart: a.agent, release: shape.release, namespace, values, overlays };
}
