/**
 * kube-inject with no cluster: istiod's chart is rendered (`helm template` of charts/istiod with
 * the user's values, or its defaults) and its injector ConfigMap (`config`, `values`), mesh
 * ConfigMap (`mesh`), injector webhook path and istiod's literal environment feed a small Go
 * program (inject-offline/main.go) that runs the injection webhook of the pinned istio.io/istio
 * on the same AdmissionReviews the online mode sends to istiod. So both modes share the manifest
 * walk and the patch, and differ only in who answers.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { goBuildProgram } from '../../tools/go';
import { ISTIO_MODULE } from '../../versions';
import { CommandFailed } from '../errors';
import { helm } from '../helm';
import { PACKAGE_DIR, chartDir } from '../paths';
import type { AdmissionResponse, AdmissionReview, InjectBackend } from './manifest';

// from the package root: compiled, this file runs from lib/, and the Go source ships under src/
const PROGRAM = join(PACKAGE_DIR, 'src', 'cli', 'inject-offline', 'main.go');

/** The offline injector, built against the pinned istio.io/istio on first use (about half a minute). */
export function offlineInjector(): string {
  return goBuildProgram({
    label: `the offline injector against ${ISTIO_MODULE.path}@${ISTIO_MODULE.version}`,
    main: PROGRAM,
    requires: [ISTIO_MODULE],
    key: `istio-inject-offline-${ISTIO_MODULE.version}`,
    binary: 'inject-offline',
    // istiod's build tags, so the Go build cache of the istiod build is reused
    tags: 'vtprotobuf,disable_pgv',
  });
}

export interface OfflineOptions {
  readonly revision?: string;
  readonly istioNamespace: string;
  /** helm -f files and --set expressions for the istiod chart. */
  readonly valuesFiles: string[];
  readonly set: string[];
  /** Native sidecars (no nodes to detect support from); undefined: what istiod's env says, else off. */
  readonly nativeSidecar?: boolean;
}

export interface InjectorInputs {
  readonly config: string;
  readonly values: string;
  readonly mesh: string;
  readonly path: string;
  readonly revision: string;
  /** The literal env of istiod's discovery container. */
  readonly env: Record<string, string>;
}

/** What istiod would run with: from the istiod chart rendered with these values. */
export async function renderInjectorInputs(o: OfflineOptions): Promise<InjectorInputs> {
  const args = ['template', 'istiod', chartDir('istiod'), '-n', o.istioNamespace];
  for (const f of o.valuesFiles) args.push('-f', f);
  for (const s of o.set) args.push('--set', s);
  if (o.revision && o.revision !== 'default') args.push('--set', `revision=${o.revision}`);
  const { stdout } = await helm(args);
  const objects = YAML.parseAllDocuments(stdout).map((d) => d.toJS()).filter((x) => x && typeof x === 'object');
  const configMaps = objects.filter((x: any) => x.kind === 'ConfigMap');
  const injector = configMaps.find((c: any) => /^istio-sidecar-injector(-|$)/.test(c.metadata?.name) && c.data?.config !== undefined);
  const mesh = configMaps.find((c: any) => /^istio(-|$)/.test(c.metadata?.name) && c.data?.mesh !== undefined);
  if (!injector || !mesh) throw new CommandFailed('the istiod chart rendered with these values has no injector or mesh ConfigMap (a remote or empty profile?); --offline needs both');
  const deployment = objects.find((x: any) => x.kind === 'Deployment' && x.metadata?.labels?.app === 'istiod');
  const discovery = deployment?.spec?.template?.spec?.containers?.find((c: any) => c.name === 'discovery');
  const env: Record<string, string> = {};
  for (const e of discovery?.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  const mwc = objects.find((x: any) => x.kind === 'MutatingWebhookConfiguration' && !x.metadata?.labels?.['istio.io/tag']);
  const hook = mwc?.webhooks?.find((w: any) => String(w.name).endsWith('sidecar-injector.istio.io'));
  const path = hook?.clientConfig?.service?.path ?? '/inject';
  const revision = env.REVISION ?? (o.revision && o.revision !== 'default' ? o.revision : 'default');
  return { config: injector.data.config, values: injector.data.values ?? '{}', mesh: mesh.data.mesh, path, revision, env };
}

/** The backend that answers reviews with the webhook code of the pinned release. */
export function offlineBackend(inputs: InjectorInputs, nativeSidecar?: boolean): InjectBackend {
  return async (reviews: AdmissionReview[]): Promise<AdmissionResponse[]> => {
    const binary = offlineInjector();
    const dir = mkdtempSync(join(tmpdir(), 'istio-charts-inject-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), inputs.config);
      writeFileSync(join(dir, 'values.json'), inputs.values);
      writeFileSync(join(dir, 'mesh.yaml'), inputs.mesh);
      const native = nativeSidecar === undefined ? inputs.env.ENABLE_NATIVE_SIDECARS === 'true' : nativeSidecar;
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...inputs.env, ENABLE_NATIVE_SIDECARS: String(native) };
      const r = spawnSync(binary, [join(dir, 'config.yaml'), join(dir, 'values.json'), join(dir, 'mesh.yaml'), inputs.revision, inputs.path], {
        input: JSON.stringify(reviews), encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024, timeout: 120_000,
      });
      if (r.error) throw new CommandFailed(`the offline injector could not run: ${r.error.message}`);
      if (r.status !== 0) throw new CommandFailed(`the offline injector failed: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
      const answers = JSON.parse(r.stdout) as Array<{ response?: AdmissionResponse }>;
      return answers.map((a, i) => {
        if (!a.response) throw new CommandFailed(`the offline injector gave no response to review ${i}`);
        return a.response;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
