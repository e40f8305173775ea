/** The `base` chart: the cluster-wide pieces every Istio revision shares. */
import { ChartDefinition } from '../chart-definition';
import { labelsHelper } from '../common/labels';
import { profileFiles, profileHelper, profileOverlayLines } from '../common/profiles';
import { DEFAULTS_LINE, effectiveValuesHelper, overlayHelper } from '../common/values-helpers';
import { baseValues } from '../../values/base';
import { IstioCrds, crdSpecFiles } from './templates/crds';
import { DefaultRevisionValidator } from './templates/defaultrevision-validatingwebhookconfiguration';
import { ReaderServiceAccount } from './templates/reader-serviceaccount';
import { StableValidationPolicy } from './templates/defaultrevision-validatingadmissionpolicy';
import { BASE_CHECKS } from './templates/validate';

/**
 * The effective values: the selected profile, compatibility version and platform overlays
 * (files/profile-*.yaml) applied wherever a value still holds its chart default, as in the
 * other charts, so a parent chart's global.profile reaches base too.
 */
const BASE_VALUES = `${DEFAULTS_LINE}
${profileOverlayLines('base')}`;

export const baseChart: ChartDefinition = {
  name: 'base',
  description: 'Istio cluster-wide resources: the CRDs, the reader ServiceAccount and the default-revision validation webhook.',
  values: baseValues,
  helpers: [
    labelsHelper('base'),
    overlayHelper('base'),
    profileHelper('base'),
    effectiveValuesHelper('base', 'The effective values: the profile applied where a value holds its default (see src/charts/common/profiles.ts).', BASE_VALUES),
  ],
  checks: BASE_CHECKS,
  notes: `
Istio base {{ .Chart.AppVersion }} is installed as release {{ .Release.Name }} in {{ .Release.Namespace }}.
Next, install the control plane:
  helm install istiod ./charts/istiod -n {{ .Values.global.istioNamespace }}
`,
  readme: `
Install it first, once per cluster:

\`\`\`
helm install istio-base ./charts/base -n istio-system --create-namespace
\`\`\`

The CRDs are ordinary templates, so \`helm upgrade\` upgrades them; they carry
\`helm.sh/resource-policy: keep\` and stay in the cluster after \`helm uninstall\`.
Leave one out with \`--set base.excludedCRDs={wasmplugins.extensions.istio.io}\`.

\`--set profile=stable\` (or \`global.profile\`) adds the stable-channel policy, as
\`experimental.stableValidationPolicy=true\` does; the empty profile makes the chart refuse to
render unless \`enabled=true\`.
`,
  files: new Map([...crdSpecFiles(), ...profileFiles('base')]),
  build(chart) {
    new IstioCrds(chart);
    new ReaderServiceAccount(chart);
    new DefaultRevisionValidator(chart);
    new StableValidationPolicy(chart);
  },
};
