/**
 * Profiles in every chart, rendered by real helm v4 and v3: each profile renders (and lints) the
 * charts it installs and refuses the others unless enabled=true; its values sit between the chart
 * defaults and everything the user wrote; the generated values files render what the profile
 * does; `helm show values` stays the chart defaults.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ALL_CHARTS } from '../../src/charts';
import { componentList, refusal } from '../../src/charts/common/profiles';
import { COMPATIBILITY_LIST, ChartName, PLATFORM_LIST, PROFILES, PROFILE_ALIASES, chartProfileNames, profileInstallsChart } from '../../src/profiles';
import { generatedValues } from '../../src/synth';
import { defaultsOf } from '../../src/values/model';
import { HELM_MAJORS, HelmOptions, byKind, chart, find, helm, identities, template, templateError } from '../support/helm';

const CHARTS: ChartName[] = ['base', 'istiod', 'gateway'];
const RELEASE: Record<string, string> = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-ingressgateway' };
const profileOf = (name: string) => PROFILES[PROFILE_ALIASES[name] ?? name];

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * A copy of a chart with extra overlay files: the real templates, with a platform and a
 * compatibility version that set the same keys as a profile (no real ones overlap today), to
 * prove the order profile < compatibility version < platform < user values.
 */
function chartWithOverlays(name: ChartName, files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-overlays-`));
  temps.push(dir);
  cpSync(chart(name), dir, { recursive: true });
  for (const [file, values] of Object.entries(files)) writeFileSync(join(dir, 'files', file), YAML.stringify(values));
  return dir;
}

/** The environment of istiod's container as a map. */
const istiodEnv = (objects: any[]) => Object.fromEntries(find(objects, 'Deployment', 'istiod').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
const gatewayProxy = (objects: any[]) => find(objects, 'Deployment', RELEASE.gateway).spec.template.spec.containers[0];
const hasHpa = (objects: any[]) => byKind(objects, 'HorizontalPodAutoscaler').length > 0;
const stablePolicies = (objects: any[]) => byKind(objects, 'ValidatingAdmissionPolicy').length;

/**
 * istiod's two values dumps (ConfigMap `values`, and the injector's `values`) name the selectors
 * they were rendered with (profile, global.profile, compatibilityVersion, enabled); with
 * `-f values/<p>/istiod.yaml` no selector is set, so they are left out there, and everything
 * else must match.
 */
function withoutSelectors(objects: any[]): any[] {
  const drop = (values: any) => {
    const { profile: _p, compatibilityVersion: _c, enabled: _e, ...rest } = values;
    if (rest.global) rest.global = { ...rest.global, profile: undefined };
    return rest;
  };
  return objects.map((o) => {
    if (o.kind !== 'ConfigMap') return o;
    const data = { ...o.data };
    for (const key of ['merged-values', 'values']) if (data[key]) data[key] = drop(JSON.parse(data[key]));
    return { ...o, data };
  });
}

describe.each(HELM_MAJORS)('profiles with helm %s', (major) => {
  const render = (name: ChartName, o: HelmOptions = {}, dir = chart(name)) => template(major, dir, { release: RELEASE[name], ...o }).objects;

  describe.each(CHARTS)('the %s chart', (name) => {
    const installing = chartProfileNames().filter((p) => profileInstallsChart(profileOf(p), name));
    const excluding = chartProfileNames().filter((p) => !profileInstallsChart(profileOf(p), name));

    test.each(installing)('profile %s renders it and passes helm lint --strict', (profile) => {
      expect(render(name, { set: [`profile=${profile}`] }).length).toBeGreaterThan(0);
      const r = helm(major, ['lint', '--strict', chart(name), '--set', `profile=${profile}`]);
      expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.status).toBe(0);
    });

    if (excluding.length) {
      test.each(excluding)('profile %s refuses it in one sentence, and renders it with enabled=true', (profile) => {
        const sentence = refusal(name, profile, componentList(profileOf(profile)));
        expect(templateError(major, chart(name), { set: [`profile=${profile}`] })).toContain(sentence);
        expect(templateError(major, chart(name), { set: [`global.profile=${profile}`] })).toContain(sentence);
        expect(render(name, { set: [`profile=${profile}`, 'enabled=true'] }).length).toBeGreaterThan(0);
        const r = helm(major, ['lint', '--strict', chart(name), '--set', `profile=${profile}`, '--set', 'enabled=true']);
        expect(r.status).toBe(0);
      });
    }

    test('enabled=false refuses under any profile; enabled=true changes nothing under one that installs it', () => {
      expect(templateError(major, chart(name), { set: ['enabled=false'] })).toContain(`enabled=false turns the ${name} chart off`);
      expect(withoutSelectors(render(name, { set: ['enabled=true'] }))).toEqual(withoutSelectors(render(name)));
    });

    test('unknown profile, platform or compatibility version names fail listing the valid ones', () => {
      const profiles = chartProfileNames().join("', '");
      expect(templateError(major, chart(name), { set: ['profile=tiny'] })).toContain(`value must be one of '', '${profiles}'`);
      expect(templateError(major, chart(name), { set: ['global.profile=tiny'] })).toMatch(
        name === 'istiod' ? /global\/profile': value must be one of/ : new RegExp(`unknown profile "tiny"; valid profiles: ${chartProfileNames().join(', ')}`),
      );
      const platforms = PLATFORM_LIST.map((p) => p.name);
      expect(templateError(major, chart(name), { set: ['platform=eks'] })).toContain(`value must be one of '', '${platforms.join("', '")}'`);
      expect(templateError(major, chart(name), { set: ['global.platform=eks'] })).toMatch(
        name === 'istiod' ? /global\/platform': value must be one of/ : new RegExp(`unknown platform "eks"; valid platforms: ${platforms.join(', ')}`),
      );
      const versions = COMPATIBILITY_LIST.map((c) => c.name);
      expect(templateError(major, chart(name), { set: ['compatibilityVersion=1.24'] })).toContain(`value must be one of '', '${versions.join("', '")}'`);
    });

    test('external is remote', () => {
      if (!profileInstallsChart(PROFILES.remote, name)) return;
      expect(withoutSelectors(render(name, { set: ['profile=external'] }))).toEqual(withoutSelectors(render(name, { set: ['profile=remote'] })));
    });

    test('helm show values is the chart defaults: no profile value, no enabled', () => {
      const r = helm(major, ['show', 'values', chart(name)]);
      expect(r.status).toBe(0);
      expect(r.stdout.trimEnd()).toBe(readFileSync(join(chart(name), 'values.yaml'), 'utf8').trimEnd());
      const shown = YAML.parse(r.stdout, { version: '1.1' });
      expect(shown).toEqual(defaultsOf(ALL_CHARTS.find((c) => c.name === name)!.values));
      expect(shown).not.toHaveProperty('enabled');
    });
  });

  describe('-f values/<profile>/<chart>.yaml renders what the selector does, object for object', () => {
    const files = [...generatedValues().keys()].map((path) => {
      const [dir, file] = path.split('/');
      const name = file.replace(/\.yaml$/, '') as ChartName;
      const selector = dir.startsWith('platform-')
        ? `platform=${dir.slice('platform-'.length)}`
        : dir.startsWith('compatibility-')
          ? `compatibilityVersion=${dir.slice('compatibility-'.length)}`
          : `profile=${dir}`;
      return [path, name, selector] as const;
    });

    test('there is one for every profile with values for a chart it installs', () => {
      expect(files.map(([p]) => p)).toEqual(expect.arrayContaining(['demo/istiod.yaml', 'demo/gateway.yaml', 'stable/base.yaml', 'stable/istiod.yaml', 'remote/istiod.yaml', 'ambient/istiod.yaml']));
      expect(files.map(([p]) => p)).not.toContain('ambient/gateway.yaml');
    });

    test.each(files)('values/%s is %s --set %s', (path, name, selector) => {
      const values = YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', path), 'utf8'), { version: '1.1' });
      const viaFile = render(name, { values });
      // --set-string: compatibilityVersion=1.30 would arrive as the number 1.3
      const viaSelector = render(name, { extraArgs: ['--set-string', selector] });
      expect(withoutSelectors(viaFile)).toEqual(withoutSelectors(viaSelector));
      // and the selector changes the render at all, so the equality says something
      expect(withoutSelectors(viaSelector)).not.toEqual(withoutSelectors(render(name)));
    });
  });

  describe('istiod under demo', () => {
    test('helm template istiod charts/istiod --set profile=demo: demo mesh settings, one replica, no HPA', () => {
      const objects = render('istiod', { set: ['profile=demo'] });
      const mesh = YAML.parse(find(objects, 'ConfigMap', 'istio').data.mesh);
      expect(mesh.accessLogFile).toBe('/dev/stdout');
      expect(mesh.extensionProviders.map((p: any) => p.name)).toEqual(['otel', 'skywalking', 'otel-tracing', 'jaeger']);
      expect(hasHpa(objects)).toBe(false);
      expect(find(objects, 'Deployment', 'istiod').spec.replicas).toBe(1);
      expect(istiodEnv(objects).PILOT_TRACE_SAMPLING).toBe('100');
      expect(find(objects, 'Deployment', 'istiod').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '10m', memory: '100Mi' } });
      expect(JSON.parse(find(objects, 'ConfigMap', 'istio-sidecar-injector').data.values).global.proxy.resources.requests).toEqual({ cpu: '10m', memory: '40Mi' });
    });

    test('global.profile=demo is the same', () => {
      expect(withoutSelectors(render('istiod', { set: ['global.profile=demo'] }))).toEqual(withoutSelectors(render('istiod', { set: ['profile=demo'] })));
    });
  });

  describe('precedence: chart defaults < profile < compatibility version < platform < user values', () => {
    test('istiod: a user value beats the profile, the untouched profile values stay', () => {
      const objects = render('istiod', { set: ['profile=demo', 'pilot.traceSampling=5', 'meshConfig.accessLogFile=/tmp/log', 'pilot.autoscaleMin=2', 'pilot.resources.requests.cpu=1500m'] });
      expect(istiodEnv(objects).PILOT_TRACE_SAMPLING).toBe('5');
      const mesh = YAML.parse(find(objects, 'ConfigMap', 'istio').data.mesh);
      expect(mesh.accessLogFile).toBe('/tmp/log');
      expect(mesh.extensionProviders).toHaveLength(4);
      expect(find(objects, 'Deployment', 'istiod').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1500m', memory: '100Mi' } });
      // the top-level spelling of a Deployment key is a user value too
      expect(istiodEnv(render('istiod', { set: ['profile=demo', 'traceSampling=7'] })).PILOT_TRACE_SAMPLING).toBe('7');
    });

    test('istiod: a values file without the profile\'s autoscaleEnabled gives the HPA back under demo\'s other settings', () => {
      const demo = YAML.parse(readFileSync(join(__dirname, '..', '..', 'values', 'demo', 'istiod.yaml'), 'utf8'));
      delete demo.pilot.autoscaleEnabled;
      const objects = render('istiod', { values: demo });
      expect(hasHpa(objects)).toBe(true);
      expect(istiodEnv(objects).PILOT_TRACE_SAMPLING).toBe('100');
    });

    test('the documented edge case: a value set explicitly to its chart default counts as unset, so the profile changes it', () => {
      // pilot.autoscaleEnabled defaults to true; demo turns it off
      expect(hasHpa(render('istiod', { set: ['profile=demo', 'pilot.autoscaleEnabled=true'] }))).toBe(false);
      expect(hasHpa(render('gateway', { set: ['profile=demo', 'autoscaling.enabled=true'] }))).toBe(false);
      expect(stablePolicies(render('base', { set: ['profile=stable', 'experimental.stableValidationPolicy=false'] }))).toBe(1);
    });

    test('gateway: user values, global.* and _internal_defaults_do_not_set all beat the profile', () => {
      const user = render('gateway', { set: ['profile=demo', 'resources.requests.cpu=200m', 'autoscaling.maxReplicas=3'] });
      expect(gatewayProxy(user).resources).toEqual({ requests: { cpu: '200m', memory: '40Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
      expect(hasHpa(user)).toBe(false);
      const ports = [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }];
      expect(find(render('gateway', { set: ['profile=demo'], values: { service: { ports } } }), 'Service', RELEASE.gateway).spec.ports).toEqual(ports);
      const global = render('gateway', { set: ['profile=demo', 'global.resources.requests.cpu=300m'] });
      expect(gatewayProxy(global).resources.requests).toEqual({ cpu: '300m', memory: '40Mi' });
      const internal = render('gateway', { set: ['profile=demo'], values: { _internal_defaults_do_not_set: { service: { ports } } } });
      expect(find(internal, 'Service', RELEASE.gateway).spec.ports).toEqual(ports);
      // and the profile applies where none of them spoke
      expect(find(render('gateway', { set: ['profile=demo'] }), 'Service', RELEASE.gateway).spec.ports.map((p: any) => p.port)).toEqual([15021, 80, 443, 31400, 15443]);
    });

    test('gateway: global.profile is the profile', () => {
      expect(render('gateway', { set: ['global.profile=demo'] })).toEqual(render('gateway', { set: ['profile=demo'] }));
    });

    test('base: profile=stable and global.profile=stable add the stable policy, as experimental.stableValidationPolicy does', () => {
      expect(stablePolicies(render('base'))).toBe(0);
      const stable = render('base', { set: ['profile=stable'] });
      expect(stablePolicies(stable)).toBe(1);
      expect(render('base', { set: ['global.profile=stable'] })).toEqual(stable);
      expect(render('base', { set: ['experimental.stableValidationPolicy=true'] })).toEqual(stable);
    });

    test('istiod: a real platform and compatibility version apply over the profile, and user values beat them', () => {
      const objects = render('istiod', { set: ['profile=ambient', 'platform=openshift', 'compatibilityVersion=1.28'] });
      const env = istiodEnv(objects);
      expect(env).toMatchObject({ PILOT_ENABLE_AMBIENT: 'true', PLATFORM: 'openshift', CA_TRUSTED_NODE_ACCOUNTS: 'kube-system/ztunnel', PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE: 'false' });
      const cni = JSON.parse(find(objects, 'ConfigMap', 'istio-sidecar-injector').data.values).pilot.cni;
      expect(cni).toMatchObject({ enabled: true, provider: 'multus', ambient: { enabled: true, reconcileIptablesOnStartup: false } });
      const user = render('istiod', { set: ['profile=ambient', 'platform=openshift', 'compatibilityVersion=1.28', 'pilot.trustedZtunnelNamespace=ztunnel', 'pilot.env.PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE=true'] });
      expect(istiodEnv(user)).toMatchObject({ CA_TRUSTED_NODE_ACCOUNTS: 'ztunnel/ztunnel', PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE: 'true' });
    });

    // no real platform or compatibility version sets a key a profile sets, so these charts get
    // overlay files that do, next to the real ones
    test('every chart: the compatibility version beats the profile, the platform beats both, the user beats all', () => {
      const istiod = chartWithOverlays('istiod', {
        'profile-compatibility-version-1.28.yaml': { pilot: { autoscaleEnabled: true, traceSampling: 50 } },
        'profile-platform-gke.yaml': { pilot: { traceSampling: 60 } },
      });
      const i = (set: string[]) => render('istiod', { set: ['profile=demo', ...set] }, istiod);
      expect(hasHpa(i([]))).toBe(false);
      expect(hasHpa(i(['compatibilityVersion=1.28']))).toBe(true);
      expect(istiodEnv(i(['compatibilityVersion=1.28'])).PILOT_TRACE_SAMPLING).toBe('50');
      expect(istiodEnv(i(['compatibilityVersion=1.28', 'platform=gke'])).PILOT_TRACE_SAMPLING).toBe('60');
      expect(istiodEnv(i(['compatibilityVersion=1.28', 'platform=gke', 'pilot.traceSampling=70'])).PILOT_TRACE_SAMPLING).toBe('70');

      const gateway = chartWithOverlays('gateway', {
        'profile-compatibility-version-1.28.yaml': { resources: { requests: { cpu: '20m' } } },
        'profile-platform-gke.yaml': { autoscaling: { enabled: true }, resources: { requests: { cpu: '30m' } } },
      });
      const g = (set: string[]) => render('gateway', { set: ['profile=demo', ...set] }, gateway);
      expect(gatewayProxy(g(['compatibilityVersion=1.28'])).resources.requests).toEqual({ cpu: '20m', memory: '40Mi' });
      const platform = g(['compatibilityVersion=1.28', 'global.platform=gke']);
      expect(hasHpa(platform)).toBe(true);
      expect(gatewayProxy(platform).resources.requests).toEqual({ cpu: '30m', memory: '40Mi' });
      expect(gatewayProxy(g(['platform=gke', 'resources.requests.cpu=40m'])).resources.requests.cpu).toBe('40m');

      const base = chartWithOverlays('base', { 'profile-platform-gke.yaml': { experimental: { stableValidationPolicy: false } } });
      expect(stablePolicies(render('base', { set: ['profile=stable'] }, base))).toBe(1);
      expect(stablePolicies(render('base', { set: ['profile=stable', 'platform=gke'] }, base))).toBe(0);
    });
  });

  describe('as a subchart', () => {
    /** A parent chart with the gateway chart as a dependency under `condition: gateway.enabled`. */
    function parent(): string {
      const dir = mkdtempSync(join(tmpdir(), 'parent-'));
      temps.push(dir);
      writeFileSync(join(dir, 'Chart.yaml'), YAML.stringify({
        apiVersion: 'v2', name: 'mesh', version: '0.1.0',
        dependencies: [{ name: 'gateway', version: readChartVersion('gateway'), condition: 'gateway.enabled' }],
      }));
      cpSync(chart('gateway'), join(dir, 'charts', 'gateway'), { recursive: true });
      return dir;
    }

    test('a parent\'s global.profile reaches the chart; its condition value is the chart\'s enabled', () => {
      const dir = parent();
      const kinds = (o: HelmOptions) => identities(template(major, dir, { release: 'istio-ingressgateway', ...o }).objects);
      expect(kinds({ set: ['global.profile=demo'] })).not.toContain('HorizontalPodAutoscaler/istio-system/istio-ingressgateway');
      expect(kinds({ set: ['global.profile=demo'] })).toContain('Deployment/istio-system/istio-ingressgateway');
      expect(templateError(major, dir, { set: ['global.profile=minimal'] })).toContain(refusal('gateway', 'minimal', 'base, pilot'));
      expect(kinds({ set: ['global.profile=minimal', 'gateway.enabled=true'] })).toContain('Deployment/istio-system/istio-ingressgateway');
      expect(kinds({ set: ['global.profile=minimal', 'gateway.enabled=false'] })).toEqual([]);
    });
  });
});

function readChartVersion(name: string): string {
  return YAML.parse(readFileSync(join(chart(name), 'Chart.yaml'), 'utf8')).version;
}
