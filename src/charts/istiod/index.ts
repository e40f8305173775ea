/** The `istiod` chart: the Istio control plane of one revision. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ChartDefinition } from '../chart-definition';
import { ISTIOD_COMPATIBILITY_PROFILES, ISTIOD_PLATFORM_PROFILES, ISTIOD_PROFILES } from '../../profiles/istiod';
import { istiodValues } from '../../values/istiod';
import { ISTIOD_LEGACY_KEYS } from '../../values/legacy';
import { IstiodAutoscaler, IstiodDisruptionBudget } from './autoscaling';
import { IMAGE_HELPER, IstiodDeployment } from './deployment';
import { istiodHelpers } from './helpers';
import { InjectionWebhook } from './injection-webhook';
import { InjectorConfigMap, injectorHelpers } from './injector-config';
import { MESH_HELPERS, MeshConfigMap } from './mesh-config';
import { IstiodNetworkPolicy } from './network-policy';
import { IstiodRbac } from './rbac';
import { ReaderRbac } from './reader-rbac';
import { RemoteIstiod } from './remote-istiod';
import { RevisionTags } from './revision-tags';
import { IstiodService } from './service';
import { IstiodServiceAccount } from './service-account';
import { GatewayClassConfigMaps, JwksExtraRootsConfigMap } from './small-configmaps';
import { RevisionValidationPolicy } from './validation-policy';
import { ValidationWebhook } from './validation-webhook';
import { VALUES_HELPER, ValuesConfigMap } from './values-configmap';

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

/** Profile overlays as chart files, read by the istiod.values helper. */
function profileFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: string, overlay: Record<string, unknown>) => {
    if (Object.keys(overlay).length) files.set(`files/profile-${name}.yaml`, YAML.stringify(overlay, { version: '1.1', lineWidth: 0 }));
  };
  for (const [n, o] of Object.entries(ISTIOD_PROFILES)) add(n, o);
  for (const [v, o] of Object.entries(ISTIOD_COMPATIBILITY_PROFILES)) add(`compatibility-version-${v}`, o);
  for (const [p, o] of Object.entries(ISTIOD_PLATFORM_PROFILES)) add(`platform-${p}`, o);
  return files;
}

const templates = injectionTemplates();
const templateNames = [...templates.keys()].map((p) => p.replace(/^files\/injection\/|\.yaml$/g, ''));

export const istiodChart: ChartDefinition = {
  name: 'istiod',
  description: 'The Istio control plane (istiod): discovery, certificate authority, sidecar injection and config validation.',
  values: istiodValues,
  legacy: ISTIOD_LEGACY_KEYS,
  files: new Map([...templates, ...profileFiles()]),
  helpers: istiodHelpers([IMAGE_HELPER, VALUES_HELPER, ...MESH_HELPERS, ...injectorHelpers(templateNames)]),
  notes: `
{{- include "istiod.values" . -}}
{{ include "istiod.name" . }} {{ .Chart.AppVersion }} is installed in {{ .Release.Namespace }} (revision {{ .Values.revision | default "default" }}).

Label a namespace to inject its new pods:
  kubectl label namespace <ns> {{ if .Values.revision }}istio.io/rev={{ .Values.revision }}{{ else }}istio-injection=enabled{{ end }}
Then install a gateway:
  helm install istio-ingress ./charts/gateway -n istio-ingress --create-namespace
{{- if eq .Values.global.pilotCertProvider "kubernetes" }}
{{- fail "global.pilotCertProvider=kubernetes is not supported; use istiod" }}
{{- end }}
`,
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
    new IstiodRbac(chart);
    new ReaderRbac(chart);
    new RevisionTags(chart);
    new IstiodNetworkPolicy(chart);
    new RemoteIstiod(chart);
  },
};
