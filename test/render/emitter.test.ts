/**
 * The emission layer proven by helm itself: a small chart written by the emitter is rendered
 * with real helm and the parsed objects are checked, for each construct and pitfall.
 */
import { Chart } from 'cdk8s';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  HelmObject, Release, TemplateFile, eq, helmApp, include, not, onlyIf, rangeList, rangeMap, renderHelpers, spread, str, toYaml,
  verbatim, when,
} from '../../src/helm';
import { field, refsOf, section, valuesYaml } from '../../src/values/model';
import { HELM_MAJORS, template } from '../support/helm';

const model = section('', {
  name: field('demo', 'object name'),
  replicas: field(2, 'replica count'),
  autoscale: field(false, 'autoscaling'),
  mode: field('a', 'a mode'),
  env: field<Record<string, string>>({ B: 'two', A: 'one' }, 'env'),
  secrets: field<string[]>(['s1'], 'secrets'),
  resources: field<Record<string, unknown>>({}, 'resources'),
  annotations: field<Record<string, string>>({}, 'annotations'),
});
const V = refsOf(model);

function writeChart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emitter-chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), valuesYaml(model, ['test values']));
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), renderHelpers([{ name: 'demo.labels', doc: 'labels', body: 'team: mesh\nrelease: {{ .Release.Name }}' }]));
  const chart = new Chart(helmApp(), 'demo');
  const file = new TemplateFile(chart, 'things', { source: 'test/render/emitter.test.ts' });
  new HelmObject(file, 'cm', {
    gvk: { apiVersion: 'v1', kind: 'ConfigMap' },
    metadata: {
      name: V.name,
      namespace: Release.namespace,
      labels: { app: V.name, ...spread(include('demo.labels')) },
      annotations: toYaml(V.annotations),
    },
    body: {
      data: {
        yes: 'yes',
        version: '1.0',
        template: '{{ .Values.notForHelm }}',
        replicas: str(V.replicas),
        mode: when(eq(V.mode, 'a'), 'first', when(eq(V.mode, 'b'), 'second', 'other')),
        ...onlyIf(not(V.autoscale), { fixed: 'true' }),
        ...spread(rangeMap(V.env, (k, v) => ({ [`env-${k}`]: `${v}@${V.name}` }))),
        verbatim: verbatim('|-\n  a {{ b }}\n  c'),
      },
    },
  });
  new HelmObject(file, 'pod', {
    gvk: { apiVersion: 'v1', kind: 'Pod' },
    condition: not(V.autoscale),
    metadata: { name: V.name },
    body: {
      spec: {
        imagePullSecrets: [rangeList(V.secrets, (s) => ({ name: s }))],
        containers: [
          {
            name: 'c',
            env: [{ name: 'FIXED', value: '1' }, rangeMap(V.env, (k, v) => ({ name: k, value: v }))],
            resources: toYaml(V.resources),
          },
        ],
      },
    },
  });
  writeFileSync(join(dir, 'templates', 'things.yaml'), file.render());
  return dir;
}

const chartDir = writeChart();

describe.each(HELM_MAJORS)('emitted templates rendered by helm %s', (major) => {
  const render = (set: string[] = []) => {
    const { objects } = template(major, chartDir, { release: 'rel', namespace: 'ns1', set });
    return { cm: objects.find((o) => o.kind === 'ConfigMap'), pod: objects.find((o) => o.kind === 'Pod') };
  };

  test('holes, includes and YAML 1.1 strings', () => {
    const { cm } = render();
    expect(cm.metadata).toEqual({ name: 'demo', namespace: 'ns1', labels: { app: 'demo', team: 'mesh', release: 'rel' } });
    expect(cm.data.yes).toBe('yes');
    expect(cm.data.version).toBe('1.0');
    expect(cm.data.replicas).toBe('2');
  });

  test('literal braces reach the output untouched', () => {
    const { cm } = render();
    expect(cm.data.template).toBe('{{ .Values.notForHelm }}');
    expect(cm.data.verbatim).toBe('a {{ b }}\nc');
  });

  test('if / else if / else', () => {
    expect(render().cm.data.mode).toBe('first');
    expect(render(['mode=b']).cm.data.mode).toBe('second');
    expect(render(['mode=z']).cm.data.mode).toBe('other');
  });

  test('conditional entries and objects', () => {
    expect(render().cm.data.fixed).toBe('true');
    const off = render(['autoscale=true']);
    expect(off.cm.data).not.toHaveProperty('fixed');
    expect(off.pod).toBeUndefined();
  });

  test('range over maps and lists, with root references inside', () => {
    const { cm, pod } = render();
    expect(cm.data['env-A']).toBe('one@demo');
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'FIXED', value: '1' },
      { name: 'A', value: 'one' },
      { name: 'B', value: 'two' },
    ]);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 's1' }]);
  });

  test('toYaml blocks: left out when empty, nested at the right depth when set', () => {
    expect(render().pod.spec.containers[0]).not.toHaveProperty('resources');
    expect(render().cm.metadata).not.toHaveProperty('annotations');
    const set = render(['resources.requests.cpu=500m', 'annotations.a=b']);
    expect(set.pod.spec.containers[0].resources).toEqual({ requests: { cpu: '500m' } });
    expect(set.cm.metadata.annotations).toEqual({ a: 'b' });
  });
});
