/** The emission layer in isolation: what template text each construct writes. */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  HelmObject, Release, TemplateFile, and, comment, defineHelper, emitValue, eq, expr, helmApp, ifSet, include, int, local, not,
  mergeOver, onlyIf, rangeList, rangeMap, regexMatch, renderHelpers, spread, toString, toYaml, verbatim, when, withDefault,
} from '../../src/helm';
import { field, refsOf, section } from '../../src/values/model';

const model = section('', {
  hub: field('docker.io/istio', ''),
  replicas: field(1, ''),
  enabled: field(true, ''),
  env: field<Record<string, string>>({}, ''),
  secrets: field<string[]>([], ''),
  resources: field<Record<string, unknown>>({}, ''),
  nested: section('', { port: field(15017, '') }),
});
const V = refsOf(model);

const text = (value: unknown) => emitValue(value).join('\n');

describe('scalar holes', () => {
  test('a string ref fills a scalar quoted, numbers and booleans stay raw', () => {
    expect(text({ image: V.hub, replicas: V.replicas, on: V.enabled })).toBe(
      ['image: {{ .Values.hub | quote }}', 'replicas: {{ .Values.replicas }}', '"on": {{ .Values.enabled }}'].join('\n'),
    );
  });

  test('several holes in one string become one double-quoted scalar', () => {
    expect(text({ image: `${V.hub}/pilot:${V.replicas}` })).toBe('image: "{{ .Values.hub }}/pilot:{{ .Values.replicas }}"');
  });

  test('text around holes is escaped for a double-quoted scalar', () => {
    expect(text({ v: `say "${V.hub}"\\` })).toBe('v: "say \\"{{ .Values.hub }}\\"\\\\"');
  });

  test('refs to keys that are not identifiers use index', () => {
    const m = refsOf(section('', { 'istio-ingressgateway': section('', { a: field('', '') }) }));
    expect(text({ x: m['istio-ingressgateway'].a })).toBe('x: {{ (index .Values "istio-ingressgateway").a | quote }}');
  });

  test('.Release and raw expressions', () => {
    expect(text({ ns: Release.namespace, count: expr<number>('len .Values.secrets', 'raw') })).toBe(
      'ns: {{ .Release.Namespace | quote }}\ncount: {{ len .Values.secrets }}',
    );
  });

  test('default keeps the style of the value it wraps', () => {
    expect(text({ a: withDefault(V.hub, 'x'), b: withDefault(V.replicas, 2) })).toBe(
      'a: {{ .Values.hub | default "x" | quote }}\nb: {{ .Values.replicas | default 2 }}',
    );
  });
});

describe('YAML 1.1 safety', () => {
  test.each(['yes', 'no', 'on', 'off', 'y', 'n', 'True', '1.0', '0755', '~', 'null', ''])('%j stays a quoted string', (s) => {
    expect(text({ v: s })).toBe(`v: "${s}"`);
  });

  test('keys that YAML 1.1 reads as booleans are quoted', () => {
    expect(text({ y: 1, on: 2 })).toBe('"y": 1\n"on": 2');
  });

  test('multi-line strings are block scalars indented under their key, never folded', () => {
    const long = 'x'.repeat(200);
    expect(text({ a: { b: `one\n${long}` } })).toBe(`a:\n  b: |-\n    one\n    ${long}`);
  });

  test('literal {{ in content cannot start a template action', () => {
    expect(text({ t: '{{ .Values.x }}' })).toBe('t: "{{ "{{" }} .Values.x }}"');
    expect(text({ t: verbatim('a: "{{"') })).toBe('t:\n  a: "{{ "{{" }}"');
  });
});

describe('structure markers', () => {
  test('when: a conditional field, with else-if chains', () => {
    expect(text({ replicas: when(not(V.enabled), V.replicas) })).toBe(
      ['{{- if not .Values.enabled }}', 'replicas: {{ .Values.replicas }}', '{{- end }}'].join('\n'),
    );
    expect(text({ p: when(V.enabled, 'A', when(eq(V.hub, 'x'), 'B', 'C')) })).toBe(
      ['{{- if .Values.enabled }}', 'p: A', '{{- else if eq .Values.hub "x" }}', 'p: B', '{{- else }}', 'p: C', '{{- end }}'].join('\n'),
    );
  });

  test('compound conditions parenthesise their arguments', () => {
    expect(text({ a: when(and(V.enabled, not(eq(V.replicas, 2))), 1) }).split('\n')[0]).toBe(
      '{{- if and .Values.enabled (not (eq .Values.replicas 2)) }}',
    );
  });

  test('onlyIf: several entries of a mapping under one condition', () => {
    expect(text({ a: 1, ...onlyIf(V.enabled, { b: 2, c: 3 }), d: 4 })).toBe(
      ['a: 1', '{{- if .Values.enabled }}', 'b: 2', 'c: 3', '{{- end }}', 'd: 4'].join('\n'),
    );
  });

  test('an always-written toYaml of a call groups the call', () => {
    expect(text({ a: toYaml(mergeOver(V.env, V.resources), { always: true }) })).toBe(
      'a: {{- toYaml (merge (deepCopy .Values.env) .Values.resources) | nindent 2 }}',
    );
  });

  test('toYaml as a field is guarded by with and indented by nindent', () => {
    expect(text({ spec: { resources: toYaml(V.resources) } })).toBe(
      ['spec:', '  {{- with .Values.resources }}', '  resources: {{- toYaml . | nindent 4 }}', '  {{- end }}'].join('\n'),
    );
  });

  test('toYaml spliced into a list and a mapping', () => {
    expect(text({ list: ['a', toYaml(V.secrets)] })).toBe(
      ['list:', '- a', '{{- with .Values.secrets }}', '{{- toYaml . | nindent 0 }}', '{{- end }}'].join('\n'),
    );
    expect(text({ m: { a: 1, ...spread(toYaml(V.env)) } })).toBe(
      ['m:', '  a: 1', '  {{- with .Values.env }}', '  {{- toYaml . | nindent 2 }}', '  {{- end }}'].join('\n'),
    );
  });

  test('rangeMap: loop items use $ for root references', () => {
    expect(text({ env: [{ name: 'A', value: '1' }, rangeMap(V.env, (k, v) => ({ name: k, value: v, hub: V.hub }))] })).toBe(
      [
        'env:',
        '- name: A',
        '  value: "1"',
        '{{- range $key, $value := .Values.env }}',
        '- name: {{ $key | quote }}',
        '  value: {{ $value | quote }}',
        '  hub: {{ $.Values.hub | quote }}',
        '{{- end }}',
      ].join('\n'),
    );
  });

  test('rangeList: nested loops get distinct variables', () => {
    const out = text({ a: [rangeList(V.secrets, (s) => ({ s, in: [rangeList(V.secrets, (t) => t)] }))] });
    expect(out).toContain('{{- range $item := .Values.secrets }}');
    expect(out).toContain('{{- range $item1 := $.Values.secrets }}');
    expect(out).toContain('- {{ $item1 | quote }}');
  });

  test('rangeMap spread into a mapping writes entries with hole keys', () => {
    expect(text({ labels: { ...spread(rangeMap(V.env, (k, v) => ({ [k]: v }))) } })).toBe(
      ['labels:', '  {{- range $key, $value := .Values.env }}', '  {{ $key | quote }}: {{ $value | quote }}', '  {{- end }}'].join('\n'),
    );
  });

  test('include: a helper block at the right indentation', () => {
    expect(text({ metadata: { labels: { app: 'x', ...spread(include('c.labels')) } } })).toBe(
      ['metadata:', '  labels:', '    app: x', '    {{- include "c.labels" . | nindent 4 }}'].join('\n'),
    );
  });

  test('a list item starting with a control line gets a bare dash', () => {
    expect(text({ l: [{ ...onlyIf(V.enabled, { a: 1 }), b: 2 }] })).toBe(
      ['l:', '-', '  {{- if .Values.enabled }}', '  a: 1', '  {{- end }}', '  b: 2'].join('\n'),
    );
  });

  test('spread() refuses a non-marker', () => {
    expect(() => spread({ a: 1 })).toThrow('spread() takes a marker');
  });
});

describe('objects through cdk8s', () => {
  function render(build: (f: TemplateFile) => void): string {
    const chart = new Chart(helmApp(), 'c');
    const f = new TemplateFile(chart, 'things', { source: 'test/unit/emit.test.ts', doc: '' });
    build(f);
    return f.render();
  }

  test('apiVersion, kind, metadata first; author order kept; the generated header is a template comment', () => {
    const out = render((f) =>
      new HelmObject(f, 's', {
        gvk: k8s.KubeService.GVK,
        metadata: { name: 'istiod', namespace: Release.namespace },
        body: { spec: { type: 'ClusterIP', ports: [{ port: 443, name: 'https-webhook', targetPort: k8s.IntOrString.fromNumber(15017) }] } },
      }),
    );
    expect(out.split('\n')).toEqual([
      '{{- /* Generated from test/unit/emit.test.ts by npm run synth; do not edit. */}}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: istiod',
      '  namespace: {{ .Release.Namespace | quote }}',
      'spec:',
      '  type: ClusterIP',
      '  ports:',
      '  - port: 443',
      '    name: https-webhook',
      '    targetPort: 15017',
      '',
    ]);
  });

  test('cluster-scoped objects get no namespace from the chart', () => {
    const out = render((f) => new HelmObject(f, 'cr', { gvk: k8s.KubeClusterRole.GVK, metadata: { name: 'r' }, body: { rules: [] } }));
    expect(out).not.toContain('namespace');
  });

  test('IntOrString and Quantity strings survive (cdk8s would drop them in typed props)', () => {
    const out = render((f) =>
      new HelmObject(f, 'd', {
        gvk: k8s.KubeDeployment.GVK,
        metadata: { name: 'd' },
        body: { spec: { strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromString('100%') } }, r: { cpu: k8s.Quantity.fromString('500m') } } },
      }),
    );
    expect(out).toContain('maxSurge: 100%');
    expect(out).toContain('cpu: 500m');
  });

  test('a conditional object is wrapped around its document separator', () => {
    const out = render((f) => new HelmObject(f, 'sa', { gvk: k8s.KubeServiceAccount.GVK, metadata: { name: 'x' }, condition: V.enabled }));
    expect(out).toContain('{{- if .Values.enabled }}\n---\napiVersion: v1');
    expect(out.trimEnd().endsWith('{{- end }}')).toBe(true);
  });
});

describe('what a careful author writes', () => {
  function render(build: (f: TemplateFile) => void, options: ConstructorParameters<typeof TemplateFile>[2] = {}): string {
    const chart = new Chart(helmApp(), 'c');
    const f = new TemplateFile(chart, 'things', { source: 'test/unit/emit.test.ts', doc: '', ...options });
    build(f);
    return f.render();
  }
  const cm = (f: TemplateFile, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    new HelmObject(f, `cm${Object.keys(data).join('')}`, { gvk: { apiVersion: 'v1', kind: 'ConfigMap' }, metadata: { name: 'x' }, body: { data, ...extra } });

  test('no parentheses around literals or field chains', () => {
    expect(text({ a: withDefault(V.hub, 'root-cert') })).toBe('a: {{ .Values.hub | default "root-cert" | quote }}');
    expect(text({ a: when(eq(V.hub, 'fips-140-3'), 1) })).toBe('{{- if eq .Values.hub "fips-140-3" }}\na: 1\n{{- end }}');
    const env = expr('(.Values.env).X');
    expect(text({ a: when(not(env), 1) })).toBe('{{- if not (.Values.env).X }}\na: 1\n{{- end }}');
  });

  test('short scalar lists in flow style, long ones and lists of objects in block style', () => {
    expect(text({ verbs: ['get', 'list', 'watch'], nums: [1, true], v: [V.hub] })).toBe(
      'verbs: ["get", "list", "watch"]\nnums: [1, true]\nv: [{{ .Values.hub | quote }}]',
    );
    const long = Array.from({ length: 20 }, (_, i) => `resource-${i}`);
    expect(text({ r: long }).split('\n')).toHaveLength(21);
    expect(text({ r: [{ a: 1 }] })).toBe('r:\n- a: 1');
  });

  test('the key is written once above the if when every branch sets it', () => {
    expect(text({ sel: when(V.enabled, { app: 'a' }, { istio: 'b' }) })).toBe(
      ['sel:', '{{- if .Values.enabled }}', '  app: a', '{{- else }}', '  istio: b', '{{- end }}'].join('\n'),
    );
    // without an else the key stays inside
    expect(text({ sel: when(V.enabled, { app: 'a' }) })).toBe(['{{- if .Values.enabled }}', 'sel:', '  app: a', '{{- end }}'].join('\n'));
  });

  test('no default under the if that guards the same value', () => {
    expect(text({ a: when(V.hub, { b: withDefault(V.hub, 'x') }) })).toBe(['{{- if .Values.hub }}', 'a:', '  b: {{ .Values.hub | quote }}', '{{- end }}'].join('\n'));
  });

  test('ifSet(x) is when(x, x)', () => {
    expect(text({ p: ifSet(V.hub) })).toBe(text({ p: when(V.hub, V.hub) }));
  });

  test('int, toString and regexMatch', () => {
    expect(text({ a: int(V.hub), b: toString(V.enabled), c: regexMatch('^a.*$', V.hub) })).toBe(
      'a: {{ int .Values.hub }}\nb: {{ toString .Values.enabled | quote }}\nc: {{ regexMatch "^a.*$" .Values.hub }}',
    );
  });

  test('comments say why, above the field, item or entries', () => {
    expect(text({ a: comment('why a', 1), l: [comment('why item', 'x'), { k: 1 }], m: { ...comment('a line'), k: 2 } })).toBe(
      ['# why a', 'a: 1', 'l:', '# why item', '- x', '- k: 1', 'm:', '  # a line', '  k: 2'].join('\n'),
    );
  });

  test('a file doc and an object doc are template comments', () => {
    const out = render((f) => new HelmObject(f, 'sa', { gvk: k8s.KubeServiceAccount.GVK, metadata: { name: 'x' }, doc: 'the account' }), { doc: 'the file' });
    expect(out.split('\n').slice(1, 4)).toEqual(['{{- /* the file */}}', '{{- /* the account */}}', '---']);
  });

  test('a local used more than once is declared after the prelude; used once it is written in place', () => {
    const rev = local('rev', withDefault(V.hub, 'default'));
    const twice = render((f) => cm(f, { a: rev, b: rev }), { prelude: ['{{- include "c.values" . }}'] });
    expect(twice).toContain('{{- include "c.values" . }}\n{{- $rev := .Values.hub | default "default" }}\n---');
    expect(twice).toContain('a: {{ $rev | quote }}\n  b: {{ $rev | quote }}');
    expect(render((f) => cm(f, { a: rev }))).toContain('a: {{ .Values.hub | default "default" | quote }}');
    const once = render((f) => cm(f, { c: eq(rev, 'x') }));
    expect(once).not.toContain('$rev :=');
    expect(once).toContain('c: {{ eq (.Values.hub | default "default") "x" }}');
  });

  test('defineHelper registers a define and returns its include', () => {
    const labels = defineHelper('emit-test.labels', 'test labels', { app: 'a', rev: V.hub });
    expect(text({ labels: { ...spread(labels), x: 1 } })).toBe('labels:\n  {{- include "emit-test.labels" . | nindent 2 }}\n  x: 1');
    expect(renderHelpers([{ name: 'emit-test.labels', doc: 'test labels', body: { app: 'a', rev: V.hub } }])).toContain(
      '{{- define "emit-test.labels" -}}\napp: a\nrev: {{ .Values.hub | quote }}\n{{- end }}',
    );
  });
});
