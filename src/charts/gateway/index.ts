/** The `gateway` chart: an Istio ingress, egress or east-west gateway, injected by istiod. */
import { ChartDefinition } from '../chart-definition';
import { profileFiles } from '../common/profiles';
import { GATEWAY_LEGACY_KEYS, gatewayValues } from '../../values/gateway';
import { GatewayAutoscaler } from './templates/hpa';
import { GatewayDisruptionBudget } from './templates/poddisruptionbudget';
import { GatewayDeployment } from './templates/deployment';
import { GatewayNetworkPolicy } from './templates/networkpolicy';
import { GatewayRbac } from './templates/role';
import { GATEWAY_CHECKS } from './templates/validate';
import { GatewayService } from './templates/service';
import { GatewayServiceAccount } from './templates/serviceaccount';
import { LABEL_HELPERS } from './templates/_labels';
import { NAME_HELPERS } from './templates/_names';
import { POD_HELPERS } from './templates/_pod';
import { SERVICE_HELPERS } from './templates/_service';
import { VALUES_HELPERS } from './templates/_values';
import { GATEWAY_NOTES } from './templates/NOTES';

export const gatewayChart: ChartDefinition = {
  name: 'gateway',
  description: 'An Istio gateway (ingress, egress or east-west): Envoy proxies injected by istiod, their Service, autoscaler and RBAC.',
  values: gatewayValues,
  legacy: GATEWAY_LEGACY_KEYS,
  helpers: [...LABEL_HELPERS, ...NAME_HELPERS, ...VALUES_HELPERS, ...POD_HELPERS, ...SERVICE_HELPERS],
  files: profileFiles('gateway'),
  checks: GATEWAY_CHECKS,
  notes: GATEWAY_NOTES,
  // its pods run proxyv2, filled in by istiod's injector (image: auto)
  images: ['proxyv2'],
  readme: `
Install it after \`base\` and \`istiod\`, one release per gateway, in any namespace:

\`\`\`
helm install istio-ingress ./charts/gateway -n istio-ingress --create-namespace
helm install istio-egressgateway ./charts/gateway -n istio-egress --create-namespace -f values/egress-gateway.yaml
\`\`\`

A values file written for upstream's gateway chart works unchanged. The pods run \`image: auto\`:
istiod's injector fills in the proxy (image, arguments, environment, readiness probe) with its
\`gateway\` template, so gateways follow the control plane's proxy version and settings.

Objects are named after the release (or \`name\`), and pods carry \`app: <name>\` and
\`istio: <name without "istio-">\`, which is what Istio Gateway resources select: release
\`istio-ingress\` gives \`istio: ingress\` (upstream's Helm guide's name; Istio's samples select
\`istio: ingressgateway\`, which release \`istio-ingressgateway\` gives). \`labels.app\` and \`labels.istio\` override them.

Every key can also be set under \`global\` (\`--set global.imagePullPolicy=Always\`), as in
upstream's chart; the top-level key wins when it is set. The one edge case: a top-level key set
explicitly to its default value counts as unset, so a different \`global\` value wins over it.

\`--set profile=demo\` (or \`global.profile\`) applies the demo profile's gateway settings (no
autoscaler, small requests, two more ports; \`values/demo/gateway.yaml\` holds them) under
everything you set, \`global.*\` included. A profile that installs no gateway (minimal, remote,
ambient, empty) makes the chart refuse to render unless \`enabled=true\`.
`,
  build(chart) {
    new GatewayDeployment(chart);
    new GatewayService(chart);
    new GatewayAutoscaler(chart);
    new GatewayDisruptionBudget(chart);
    new GatewayServiceAccount(chart);
    new GatewayRbac(chart);
    new GatewayNetworkPolicy(chart);
  },
};
