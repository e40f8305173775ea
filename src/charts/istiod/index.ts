/** The `istiod` chart: the Istio control plane of one revision. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { ChartDefinition } from '../chart-definition';
import { profileFiles } from '../common/profiles';
import { istiodValues } from '../../values/istiod';
import { ISTIOD_LEGACY_KEYS } from '../../values/legacy';
import { loadMeshConfigSchema } from '../../crds/meshconfig';
import { IstiodAutoscaler } from './templates/autoscale';
import { IstiodDisruptionBudget } from './templates/poddisruptionbudget';
import { IstiodDeployment } from './templates/deployment';
import { InjectionWebhook } from './templates/mutatingwebhook';
import { InjectorConfigMap } from './templates/istiod-injector-configmap';
import { MeshConfigMap } from './templates/configmap';
import { IstiodNetworkPolicy } from './templates/networkpolicy';
import { IstiodClusterRoles } from './templates/clusterrole';
import { IstiodClusterRoleBindings } from './templates/clusterrolebinding';
import { IstiodRole } from './templates/role';
import { IstiodRoleBinding } from './templates/rolebinding';
import { ReaderClusterRole } from './templates/reader-clusterrole';
import { ReaderClusterRoleBinding } from './templates/reader-clusterrolebinding';
import { RemoteIstiodEndpointSlices } from './templates/remote-istiod-endpointslices';
import { RemoteIstiodService } from './templates/remote-istiod-service';
import { RevisionTagWebhooks } from './templates/revision-tags-mwc';
import { RevisionTagServices } from './templates/revision-tags-svc';
import { IstiodService } from './templates/service';
import { IstiodServiceAccount } from './templates/serviceaccount';
import { JwksExtraRootsConfigMap } from './templates/configmap-jwks';
import { GatewayClassConfigMaps } from './templates/gateway-class-configmap';
import { RevisionValidationPolicy } from './templates/validatingadmissionpolicy';
import { ISTIOD_CHECKS } from './templates/validate';
import { ValidationWebhook } from './templates/validatingwebhookconfiguration';
import { ValuesConfigMap } from './templates/configmap-values';
import { injectorHelpers } from './templates/_injector';
import { LABEL_HELPERS } from './templates/_labels';
import { MESH_HELPERS } from './templates/_mesh';
import { NAME_HELPERS } from './templates/_names';
import { POD_HELPERS } from './templates/_pod';
import { VALUES_HELPERS } from './templates/_values';
import { ISTIOD_NOTES } from './templates/NOTES';

/** The injection templates istiod executes, one file each (see injection/). */
const INJECTION_DIR = join(__dirname, 'injection');
function injectionTemplates(): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(INJECTION_DIR)) return files;
  for (const f of readdirSync(INJECTION_DIR).filter((n) => n.endsWith('.yaml')).sort()) {
    files.set(`files/injection/${f}`, readFileSync(join(INJECTION_DIR, f), 'utf8'));
  }
  return files;
}

const templates = injectionTemplates();
const templateNames = [...templates.keys()].map((p) => p.replace(/^files\/injection\/|\.yaml$/g, ''));

export const istiodChart: ChartDefinition = {
  name: 'istiod',
  description: 'The Istio control plane (istiod): discovery, certificate authority, sidecar injection and config validation.',
  values: istiodValues,
  legacy: ISTIOD_LEGACY_KEYS,
  schemaDefinitions: loadMeshConfigSchema().definitions,
  files: new Map([...templates, ...profileFiles('istiod')]),
  helpers: [...LABEL_HELPERS, ...NAME_HELPERS, ...VALUES_HELPERS, ...POD_HELPERS, ...MESH_HELPERS, ...injectorHelpers(templateNames)],
  checks: ISTIOD_CHECKS,
  notes: ISTIOD_NOTES,
  // istiod runs pilot and injects proxyv2 into the pods of the mesh
  images: ['pilot', 'proxyv2'],
  readme: `
Install it after \`base\`, in the namespace istiod should run in:

\`\`\`
helm install istiod ./charts/istiod -n istio-system -f my-config-values.yaml
\`\`\`

A values file written for upstream's istiod chart works unchanged. The Deployment settings are
documented under \`pilot\`; as in upstream's chart they can also be set at the top level
(\`--set autoscaleEnabled=false\` is \`--set pilot.autoscaleEnabled=false\`; \`pilot.X\` wins when
both are set). \`meshConfig\` is merged over the MeshConfig the chart derives from other values.

For a canary upgrade install a second release with \`--set revision=canary\`, then move
namespaces with \`istio.io/rev=canary\`; \`revisionTags\` gives revisions stable names.

\`--set profile=<name>\`, \`compatibilityVersion\` and \`platform\` apply their settings under your
values (\`values/<profile>/istiod.yaml\` holds them); the empty profile makes the chart refuse to
render unless \`enabled=true\`.

The injector ConfigMap carries upstream's eight templates: \`sidecar\`, \`gateway\`, \`grpc-simple\`
and \`grpc-agent\` for pods, and the ones istiod's Gateway API controller renders per Gateway class:
\`kube-gateway\` (\`istio\`), \`waypoint\` (\`istio-waypoint\`, \`istio-east-west\`), \`agentgateway\`
(\`istio-agentgateway\`) and \`agentgateway-waypoint\` (\`istio-agentgateway-waypoint\`). istiod offers
the two agentgateway classes only with \`--set pilot.env.PILOT_ENABLE_AGENTGATEWAY=true\` (the
waypoint one also needs ambient, e.g. \`profile=ambient\`); it creates the GatewayClasses itself,
once the Gateway API CRDs are installed. \`sidecarInjectorWebhook.templates.<name>\` replaces one.
`,
  build(chart) {
    new IstiodDeployment(chart);
    new IstiodService(chart);
    new IstiodAutoscaler(chart);
    new IstiodDisruptionBudget(chart);
    new IstiodServiceAccount(chart);
    new MeshConfigMap(chart);
    new InjectorConfigMap(chart);
    new ValuesConfigMap(chart);
    new JwksExtraRootsConfigMap(chart);
    new GatewayClassConfigMaps(chart);
    new InjectionWebhook(chart);
    new ValidationWebhook(chart);
    new RevisionValidationPolicy(chart);
    new IstiodClusterRoles(chart);
    new IstiodClusterRoleBindings(chart);
    new IstiodRole(chart);
    new IstiodRoleBinding(chart);
    new ReaderClusterRole(chart);
    new ReaderClusterRoleBinding(chart);
    new RevisionTagWebhooks(chart);
    new RevisionTagServices(chart);
    new IstiodNetworkPolicy(chart);
    new RemoteIstiodService(chart);
    new RemoteIstiodEndpointSlices(chart);
  },
};
