/**
 * RBAC, least privilege: across the charts and the variants that add rules, no rule writes to
 * every resource of a group, and each wildcard that remains is listed here with its reason (a
 * listed wildcard no render needs any more fails the test too).
 */
import { HelmOptions, template, chart } from '../support/helm';

// the base chart renders no Role or ClusterRole
const VARIANTS: Array<[string, 'istiod' | 'gateway' | 'cni' | 'ztunnel', HelmOptions]> = [
  ['istiod', 'istiod', {}],
  ['istiod, remote', 'istiod', { set: ['profile=remote'] }],
  ['istiod, ambient', 'istiod', { set: ['profile=ambient'] }],
  ['istiod, every optional rule', 'istiod', { set: ['global.istiod.enableAnalysis=true', 'pilot.taint.enabled=true', 'pilot.env.EXTERNAL_CA=ISTIOD_RA_KUBERNETES_API', 'pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true', 'istiodRemote.enabled=true'] }],
  ['gateway', 'gateway', {}],
  ['cni', 'cni', {}],
  ['cni, ambient, repair by deleting pods, openshift', 'cni', { set: ['ambient.enabled=true', 'repair.repairPods=false', 'repair.deletePods=true', 'platform=openshift'] }],
  ['cni, repair by labelling pods', 'cni', { set: ['repair.repairPods=false', 'repair.labelPods=true'] }],
  // ztunnel has RBAC only on OpenShift: the use of the privileged SecurityContextConstraints
  ['ztunnel, openshift', 'ztunnel', { set: ['platform=openshift'] }],
];

const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*']);

/** Every wildcard our roles keep, by role (name less the revision and namespace) and rule. */
const JUSTIFIED: Array<{ role: RegExp; rule: Record<string, string[]>; reason: string }> = [
  {
    role: /^istiod-clusterrole|^istio-reader-clusterrole/,
    rule: { apiGroups: ['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], resources: ['*'] },
    reason: 'read-only (get, list, watch) on the Istio config API groups: istiod and the reader watch every kind there, and a kind a later release adds must not need an RBAC change first',
  },
  {
    role: /^istiod-clusterrole/,
    rule: { apiGroups: ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'], resources: ['*'] },
    reason: 'read-only on the Gateway API groups, whose kinds grow with each Gateway API release istiod supports (status writes are listed per kind)',
  },
  {
    role: /^istiod-clusterrole/,
    rule: { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['*'] },
    reason: "every verb, but only on the status subresource of Ingresses: istiod writes the ingress gateway's addresses there (as upstream grants it)",
  },
];

interface Found {
  variant: string;
  role: string;
  rule: Record<string, string[]>;
}

const found: Found[] = [];
for (const [variant, name, options] of VARIANTS) {
  for (const o of template('v4', chart(name), { release: name, ...options }).objects) {
    if (o.kind !== 'ClusterRole' && o.kind !== 'Role') continue;
    for (const rule of o.rules ?? []) found.push({ variant, role: o.metadata.name, rule });
  }
}
const hasWildcard = (r: Record<string, string[]>) => ['apiGroups', 'resources', 'verbs'].some((k) => (r[k] ?? []).includes('*'));
const matches = (j: (typeof JUSTIFIED)[number], f: Found) =>
  j.role.test(f.role) && Object.entries(j.rule).every(([k, v]) => JSON.stringify(f.rule[k]) === JSON.stringify(v));

test('the variants render roles to check', () => {
  expect(new Set(found.map((f) => f.variant)).size).toBe(VARIANTS.length);
  expect(found.length).toBeGreaterThan(30);
});

test('no rule writes to every resource of a group or to every group', () => {
  const broad = found.filter((f) => (f.rule.resources?.includes('*') || f.rule.apiGroups?.includes('*')) && f.rule.verbs.some((v) => WRITE.has(v)));
  expect(broad).toEqual([]);
});

test('each remaining wildcard is justified, and each justification is still needed', () => {
  const unexplained = found.filter((f) => hasWildcard(f.rule) && !JUSTIFIED.some((j) => matches(j, f)));
  expect(unexplained).toEqual([]);
  const stale = JUSTIFIED.filter((j) => !found.some((f) => hasWildcard(f.rule) && matches(j, f))).map((j) => j.reason);
  expect(stale).toEqual([]);
});
