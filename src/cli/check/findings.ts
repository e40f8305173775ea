/** What `check` reports: one result per thing looked at, passed or a finding with how to fix it. */

export type Severity = 'error' | 'warning' | 'info';

export interface Result {
  /** Which check: `kubernetes-version`, `webhook`, `revision-tag`, ... */
  readonly check: string;
  /** 'ok' for a passed check. */
  readonly severity: Severity | 'ok';
  /** What is right, or what is wrong. */
  readonly message: string;
  /** How to fix it (findings only). */
  readonly fix?: string;
}

export const ok = (check: string, message: string): Result => ({ check, severity: 'ok', message });
export const error = (check: string, message: string, fix: string): Result => ({ check, severity: 'error', message, fix });
export const warning = (check: string, message: string, fix: string): Result => ({ check, severity: 'warning', message, fix });
export const info = (check: string, message: string, fix?: string): Result => ({ check, severity: 'info', message, ...(fix ? { fix } : {}) });

const MARK: Record<Result['severity'], string> = { ok: '✔', error: '✘ error:', warning: '! warning:', info: '- info:' };

export function formatText(mode: string, results: readonly Result[]): string {
  const lines = results.map((r) => `${MARK[r.severity]} ${r.message}${r.fix ? `  fix: ${r.fix}` : ''}`);
  const errors = results.filter((r) => r.severity === 'error').length;
  const warnings = results.filter((r) => r.severity === 'warning').length;
  if (!errors && !warnings) {
    lines.push(mode === 'pre' ? '✔ No issues found: the cluster is ready for an Istio install.' : '✔ No issues found: the control plane is healthy.');
  } else {
    lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  }
  return lines.join('\n') + '\n';
}

export function formatJson(mode: string, results: readonly Result[]): string {
  const findings = results.filter((r) => r.severity !== 'ok');
  return JSON.stringify({
    mode,
    errors: findings.filter((r) => r.severity === 'error').length,
    warnings: findings.filter((r) => r.severity === 'warning').length,
    findings,
    passed: results.filter((r) => r.severity === 'ok').map(({ check, message }) => ({ check, message })),
  }, null, 2) + '\n';
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Kubernetes label selector semantics; an absent selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Kubernetes version strings: `v1.36.3`, `v1.32.0-eks-1234`, minor `32+`. */
export function parseKubeVersion(v: string): { major: number; minor: number; patch: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

/**
 * Whether a version satisfies a Chart.yaml `kubeVersion` constraint, in the subset charts use:
 * comparisons (`>=`, `>`, `<=`, `<`, `=`, `!=`) joined by spaces or commas (and), alternatives
 * by `||`; pre-release suffixes like `-0` are ignored.
 */
export function satisfiesKubeVersion(version: string, constraint: string): boolean {
  const v = parseKubeVersion(version);
  if (!v) return false;
  const cmp = (a: typeof v, b: typeof v) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  return constraint.split('||').some((alt) =>
    alt
      .split(/[\s,]+/)
      .filter(Boolean)
      .reduce<string[]>((acc, t) => (/^(>=|<=|!=|>|<|=)$/.test(t) ? [...acc, t] : acc.length && /^(>=|<=|!=|>|<|=)$/.test(acc[acc.length - 1]) ? [...acc.slice(0, -1), acc[acc.length - 1] + t] : [...acc, t]), [])
      .every((term) => {
        const m = /^(>=|<=|!=|>|<|=)?v?(\d+(?:\.\d+){0,2})/.exec(term);
        if (!m) return false;
        const want = parseKubeVersion(m[2])!;
        const c = cmp(v, want);
        switch (m[1] ?? '=') {
          case '>=': return c >= 0;
          case '>': return c > 0;
          case '<=': return c <= 0;
          case '<': return c < 0;
          case '!=': return c !== 0;
          default: return c === 0;
        }
      }),
  );
}
