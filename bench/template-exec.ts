/**
 * Template execution: istiod's own injection handler (decode the AdmissionReview, render the
 * injection templates, merge them into the pod, build the JSON patch) run in process by a Go
 * benchmark (bench/inject/main.go, built against the pinned istio.io/istio) for the same pods
 * with our chart's injector ConfigMap and mesh config and with upstream's.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { reviewFor } from '../src/cli/inject/manifest';
import { goBuildProgram } from '../src/tools/go';
import { ISTIO_MODULE } from '../src/versions';
import { injectorInputs, removeScratch } from '../test/support/inject';
import { chartPath } from './render';
import { Figure, Verdict, fmt, median, table, verdict } from './stats';

const PODS_DIR = join(__dirname, '..', 'test', 'compat', 'pods');

function program(): string {
  return goBuildProgram({
    label: `the injection benchmark against ${ISTIO_MODULE.path}@${ISTIO_MODULE.version}`,
    main: join(__dirname, 'inject', 'main.go'),
    requires: [ISTIO_MODULE],
    key: `istio-inject-bench-${ISTIO_MODULE.version}`,
    binary: 'inject-bench',
    // istiod's build tags, so the Go build cache of the istiod build is reused
    tags: 'vtprotobuf,disable_pgv',
  });
}

const fromFile = (file: string) => YAML.parse(readFileSync(join(PODS_DIR, file), 'utf8'));

/** A Deployment whose pod has `n` plain containers, each with a port. */
function withContainers(n: number): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app${n}`, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: `app${n}` } },
      template: {
        metadata: { labels: { app: `app${n}` } },
        spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'registry.example/app:1', ports: [{ containerPort: 8000 + i }] })) },
      },
    },
  };
}

/** The pods, by case name: the compat tests' own inputs where one fits. */
export function benchCases(): Array<{ name: string; workload: any }> {
  return [
    { name: 'plain pod', workload: fromFile('plain.yaml') },
    { name: 'every override annotation', workload: fromFile('overrides.yaml') },
    { name: 'gateway pod', workload: fromFile('gateway.yaml') },
    { name: '1 container', workload: withContainers(1) },
    { name: '5 containers', workload: withContainers(5) },
    { name: '20 containers', workload: withContainers(20) },
  ];
}

interface GoResult {
  injector: 'ours' | 'upstream';
  case: string;
  round: number;
  n: number;
  nsPerOp: number;
  cpuNsPerOp: number;
  bytesPerOp: number;
  allocsPerOp: number;
  patchBytes: number;
}

export function templateExecFigure(rounds: number, benchtime: string): Figure {
  const set = ['global.hub=docker.io/istio', 'global.tag=1.31.4'];
  const sides = (['ours', 'upstream'] as const).map((side) => {
    const inputs = injectorInputs(chartPath(side, 'istiod'), set, `bench-${side}`);
    return { name: side, config: join(inputs.dir, 'inject-config.yaml'), values: join(inputs.dir, 'values.json'), mesh: join(inputs.dir, 'mesh.yaml'), revision: inputs.revision };
  });
  const cases = benchCases().map((c) => ({ name: c.name, review: reviewFor(c.workload, 'default') }));
  const dir = mkdtempSync(join(tmpdir(), 'bench-inject-'));
  let results: GoResult[];
  try {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ benchtime, rounds, path: '/inject', injectors: sides, cases }));
    const r = spawnSync(program(), [spec], { encoding: 'utf8', env: { ...process.env, ENABLE_NATIVE_SIDECARS: 'false' }, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`the injection benchmark failed:\n${r.stderr}`);
    results = JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    removeScratch();
  }

  const verdicts: Verdict[] = [];
  const rows: string[][] = [['pod', 'CPU/op ours, median (min-max)', 'upstream', 'ratio', 'wall/op ours', 'upstream', 'ratio', 'B/op ours', 'upstream', 'allocs/op ours', 'upstream']];
  for (const c of cases) {
    const of = (side: string) => results.filter((x) => x.case === c.name && x.injector === side);
    const [o, u] = [of('ours'), of('upstream')];
    const cpu = (xs: GoResult[]) => xs.map((x) => x.cpuNsPerOp);
    const wall = (xs: GoResult[]) => median(xs.map((x) => x.nsPerOp));
    const span = (xs: GoResult[]) => `${fmt.us(median(cpu(xs)))} (${fmt.us(Math.min(...cpu(xs)))}-${fmt.us(Math.max(...cpu(xs)))})`;
    rows.push([
      c.name,
      span(o),
      span(u),
      (median(cpu(o)) / median(cpu(u))).toFixed(2),
      fmt.us(wall(o)),
      fmt.us(wall(u)),
      (wall(o) / wall(u)).toFixed(2),
      fmt.kib(median(o.map((x) => x.bytesPerOp))),
      fmt.kib(median(u.map((x) => x.bytesPerOp))),
      fmt.int(median(o.map((x) => x.allocsPerOp))),
      fmt.int(median(u.map((x) => x.allocsPerOp))),
    ]);
    verdicts.push(verdict({ what: `template execution CPU/op, ${c.name}`, maxRatio: 0.8 }, median(cpu(o)), median(cpu(u)), fmt.us));
  }
  const text = [
    `istiod's injection handler in process (${ISTIO_MODULE.path}@${ISTIO_MODULE.version}), testing.Benchmark ${benchtime} per case and side, ${rounds} interleaved rounds; native sidecars off.`,
    'CPU/op is the process CPU time (every thread, GC included) per injection: unlike wall time it does not count other load on the machine; the verdicts use it.',
    table(rows),
  ].join('\n');
  return { title: 'Template execution', text, verdicts };
}
