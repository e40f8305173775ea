/** `check`'s pure parts: label selectors as the apiserver matches them, Kubernetes version ranges, the shared floor. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Result, formatText, parseKubeVersion, satisfiesKubeVersion, selectorMatches } from '../../src/cli/check/findings';
import { kubernetesVersion } from '../../src/cli/check/kubernetes-version';
import { KUBERNETES_MIN_MINOR } from '../../src/versions';

test('label selectors: matchLabels and the four operators; no selector matches all', () => {
  const ns = { 'istio.io/rev': 'canary' };
  expect(selectorMatches(undefined, ns)).toBe(true);
  expect(selectorMatches({ matchLabels: { 'istio.io/rev': 'canary' } }, ns)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['canary'] }, { key: 'istio-injection', operator: 'DoesNotExist' }] }, ns)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] }, ns)).toBe(false);
  expect(selectorMatches({ matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] }, {})).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] }, { 'sidecar.istio.io/inject': 'false' })).toBe(false);
  expect(selectorMatches({ matchExpressions: [{ key: 'istio.io/rev', operator: 'Exists' }] }, {})).toBe(false);
});

test('Kubernetes versions against kubeVersion constraints', () => {
  expect(parseKubeVersion('v1.36.3')).toEqual({ major: 1, minor: 36, patch: 3 });
  expect(parseKubeVersion('v1.32.5-eks-1234')).toEqual({ major: 1, minor: 32, patch: 5 });
  expect(satisfiesKubeVersion('v1.32.0', '>= 1.32.0-0')).toBe(true);
  expect(satisfiesKubeVersion('v1.31.9', '>= 1.32.0-0')).toBe(false);
  expect(satisfiesKubeVersion('v1.36.3', '>=1.32.0-0 <1.37.0-0')).toBe(true);
  expect(satisfiesKubeVersion('v1.37.0', '>=1.32.0-0, <1.37.0-0')).toBe(false);
  expect(satisfiesKubeVersion('v1.20.0', '< 1.21 || >= 1.32')).toBe(true);
});

test('the cluster version against the charts: below the floor is an error, above the tested range information', () => {
  const run = (v: string) => {
    const out: Result[] = [];
    kubernetesVersion(v, out);
    return out.map((r) => [r.severity, r.message]);
  };
  expect(run('v1.36.3')).toEqual([['ok', 'Kubernetes v1.36.3 is supported (1.32 to 1.36)']]);
  expect(run(`v1.${KUBERNETES_MIN_MINOR - 1}.9`)).toEqual([['error', expect.stringMatching(/outside the supported range of base \(>= ?1\.32\.0-0\), istiod .*needs 1\.32 or newer/)]]);
  expect(run('v1.40.0')).toEqual([['info', expect.stringContaining('newer than 1.36')]]);
  expect(run('unknown')[0][0]).toBe('warning');
});

test('the README states the floor check enforces', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain(`Kubernetes 1.${KUBERNETES_MIN_MINOR} or newer`);
});

test('text output: a mark per result, the fix after the finding, a summary', () => {
  const text = formatText('post', [
    { check: 'istiod', severity: 'ok', message: 'istiod is Available' },
    { check: 'webhook', severity: 'error', message: 'a webhook is broken', fix: 'delete it' },
  ]);
  expect(text).toBe('✔ istiod is Available\n✘ error: a webhook is broken  fix: delete it\n1 error, 0 warnings\n');
});
