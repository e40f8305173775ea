/** The `base` chart: the cluster-wide pieces every Istio revision shares. */
import { ChartDefinition } from '../chart-definition';
import { profileFiles } from '../common/profiles';
import { baseValues } from '../../values/base';
import { IstioCrds, crdSpecFiles } from './templates/crds';
import { DefaultRevisionValidator } from './templates/defaultrevision-validatingwebhookconfiguration';
import { ReaderServiceAccount } from './templates/reader-serviceaccount';
import { StableValidationPolicy } from './templates/defaultrevision-validatingadmissionpolicy';
import { BASE_CHECKS } from './templates/validate';
import { LABEL_HELPERS } from './templates/_labels';
import { VALUES_HELPERS } from './templates/_values';
import { BASE_NOTES } from './templates/NOTES';

export const baseChart: ChartDefinition = {
  name: 'base',
  description: 'Istio cluster-wide resources: the CRDs, the reader ServiceAccount and the default-revision validation webhook.',
  values: baseValues,
  helpers: [...LABEL_HELPERS, ...VALUES_HELPERS],
  checks: BASE_CHECKS,
  notes: BASE_NOTES,
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
