/**
 * `npm run package`: the charts as users get them. Packages every chart under charts/ (base,
 * istiod, cni, ztunnel, gateway) into dist/ (signed: a .prov beside each .tgz), writes a classic repository's
 * index.yaml and the public key the charts verify with, and checks each with `helm verify`.
 *
 * Signing key: given with --keyring <secret keyring> --key <name> (or ISTIO_CHARTS_SIGNING_KEYRING
 * and ISTIO_CHARTS_SIGNING_KEY), else one generated with gpg once per machine and kept in the
 * cache (never in dist/). helm reads keyrings in the binary OpenPGP format, so the generated
 * key is exported from gpg's keybox into a plain keyring file.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Command } from 'commander';
import { ALL_CHARTS } from '../charts';
import { CHARTS_DIR } from '../cli/paths';
import { cacheDir } from '../tools/cache';
import { helmBinary } from '../tools/helm';
import { chartVersion } from '../versions';

export interface SigningKey {
  /** Secret keyring in the binary OpenPGP format (what `helm package --keyring` reads). */
  readonly keyring: string;
  /** The key's name (user id or part of it), for `helm package --key`. */
  readonly name: string;
}

export interface PackageOptions {
  /** Directory the packages, their .prov files, index.yaml and the public key land in. */
  readonly out: string;
  /** Signing key; generated (once per machine, in the cache) when absent. */
  readonly key?: SigningKey;
  /** Base URL for index.yaml's chart URLs; relative to index.yaml when absent. */
  readonly url?: string;
  /** helm to run; $HELM, else the dev helm v4. */
  readonly helm?: string;
}

export interface PackagedChart {
  readonly name: string;
  readonly version: string;
  readonly tgz: string;
  readonly prov: string;
  readonly bytes: number;
}

export interface PackageResult {
  readonly charts: PackagedChart[];
  readonly index: string;
  /** Public key (binary keyring) for `helm verify --keyring` / `helm install --verify --keyring`. */
  readonly publicKeyring: string;
  /** The same key ASCII-armored, for people and gpg. */
  readonly publicKeyArmored: string;
  /** What `helm verify` printed, per chart. */
  readonly verified: Record<string, string>;
  /** Milliseconds per step. */
  readonly timings: { packageAndSign: number; index: number; verify: number };
}

/** File names in dist/ beside the charts. */
export const PUBLIC_KEYRING = 'pubring.gpg';
export const PUBLIC_KEY_ARMORED = 'istio-charts.asc';
/** The user id of a generated key (--key matches on part of it). */
export const GENERATED_KEY_NAME = 'istio-charts release signing';

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...opts.env }, input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd} ${args[0]} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

function requireGpg(): void {
  const r = spawnSync('gpg', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error('gpg is required to make a signing key (Debian package gnupg), or pass --keyring and --key');
}

/**
 * A key made with gpg in batch mode (no passphrase: helm would prompt) into a private GNUPGHOME,
 * exported as a binary secret keyring; made once and kept under the cache.
 */
export function generatedSigningKey(dir: string = join(cacheDir(), 'release-signing')): SigningKey {
  const keyring = join(dir, 'secring.gpg');
  if (existsSync(keyring)) return { keyring, name: GENERATED_KEY_NAME };
  requireGpg();
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'gnupg'), { recursive: true, mode: 0o700 });
  const env = { GNUPGHOME: join(tmp, 'gnupg') };
  try {
    run('gpg', ['--batch', '--gen-key'], {
      env,
      input: ['Key-Type: RSA', 'Key-Length: 3072', 'Key-Usage: sign', `Name-Real: ${GENERATED_KEY_NAME}`, 'Expire-Date: 0', '%no-protection', '%commit', ''].join('\n'),
    });
    writeFileSync(join(tmp, 'secring.gpg'), spawnSync('gpg', ['--batch', '--export-secret-keys', GENERATED_KEY_NAME], { env: { ...process.env, ...env } }).stdout);
    if (statSync(join(tmp, 'secring.gpg')).size === 0) throw new Error('gpg --export-secret-keys wrote nothing');
  } finally {
    // gpg-agent started for this home would outlive us
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, ...env } });
  }
  rmSync(join(tmp, 'gnupg'), { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  if (existsSync(keyring)) rmSync(tmp, { recursive: true, force: true });
  else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return { keyring, name: GENERATED_KEY_NAME };
}

/** The public half of a secret keyring, binary and armored (gpg reads the keyring without importing it for good). */
function exportPublicKey(key: SigningKey, binaryPath: string, armoredPath: string): void {
  requireGpg();
  const home = mkdtempSync(join(tmpdir(), 'istio-charts-gpg-'));
  const env = { GNUPGHOME: home };
  try {
    run('gpg', ['--batch', '--import', key.keyring], { env });
    const binary = spawnSync('gpg', ['--batch', '--export', key.name], { env: { ...process.env, ...env } }).stdout;
    if (!binary.length) throw new Error(`keyring ${key.keyring} has no key matching "${key.name}"`);
    writeFileSync(binaryPath, binary);
    writeFileSync(armoredPath, run('gpg', ['--batch', '--armor', '--export', key.name], { env }));
  } finally {
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, ...env } });
    rmSync(home, { recursive: true, force: true });
  }
}

/** Packages, signs, indexes and verifies every chart into `opts.out`. */
export function packageCharts(opts: PackageOptions): PackageResult {
  const helm = opts.helm ?? process.env.HELM ?? helmBinary('v4');
  const out = resolve(opts.out);
  const key = opts.key ?? generatedSigningKey();
  if (!existsSync(key.keyring)) throw new Error(`signing keyring ${key.keyring} does not exist`);
  mkdirSync(out, { recursive: true });
  const version = chartVersion();

  let t = Date.now();
  const dirs = ALL_CHARTS.map((c) => join(CHARTS_DIR, c.name));
  for (const d of dirs) if (!existsSync(join(d, 'Chart.yaml'))) throw new Error(`${d} has no Chart.yaml; run npm run synth`);
  run(helm, ['package', ...dirs, '--destination', out, '--sign', '--key', key.name, '--keyring', key.keyring]);
  const packageAndSign = Date.now() - t;

  t = Date.now();
  run(helm, ['repo', 'index', out, ...(opts.url ? ['--url', opts.url] : [])]);
  const index = Date.now() - t;

  exportPublicKey(key, join(out, PUBLIC_KEYRING), join(out, PUBLIC_KEY_ARMORED));

  t = Date.now();
  const verified: Record<string, string> = {};
  const charts: PackagedChart[] = ALL_CHARTS.map(({ name }) => {
    const tgz = join(out, `${name}-${version}.tgz`);
    if (!existsSync(tgz)) throw new Error(`helm package did not write ${tgz} (found: ${readdirSync(out).join(', ')})`);
    verified[name] = run(helm, ['verify', tgz, '--keyring', join(out, PUBLIC_KEYRING)]).trim();
    return { name, version, tgz, prov: `${tgz}.prov`, bytes: statSync(tgz).size };
  });
  const verify = Date.now() - t;

  return { charts, index: join(out, 'index.yaml'), publicKeyring: join(out, PUBLIC_KEYRING), publicKeyArmored: join(out, PUBLIC_KEY_ARMORED), verified, timings: { packageAndSign, index, verify } };
}

function main(argv: string[]): void {
  const program = new Command('package')
    .description('helm package, sign and index every chart into dist/')
    .option('-d, --destination <dir>', 'output directory', 'dist')
    .option('--keyring <file>', 'secret keyring (binary OpenPGP) to sign with (or ISTIO_CHARTS_SIGNING_KEYRING)')
    .option('--key <name>', 'name of the key in --keyring (or ISTIO_CHARTS_SIGNING_KEY)')
    .option('--url <url>', "base URL of the charts in index.yaml (default: relative to index.yaml)")
    .parse(argv);
  const o = program.opts<{ destination: string; keyring?: string; key?: string; url?: string }>();
  const keyring = o.keyring ?? process.env.ISTIO_CHARTS_SIGNING_KEYRING;
  const name = o.key ?? process.env.ISTIO_CHARTS_SIGNING_KEY;
  if (!keyring !== !name) throw new Error(`a signing key needs both --keyring and --key (got ${keyring ? `keyring ${keyring}` : `key "${name}"`} only)`);
  const result = packageCharts({ out: o.destination, key: keyring && name ? { keyring, name } : undefined, url: o.url });
  for (const c of result.charts) console.log(`${c.tgz}  ${(c.bytes / 1024).toFixed(1)} KiB  (+ .prov)`);
  console.log(`${result.index}\n${result.publicKeyring}  ${result.publicKeyArmored}  (public key)`);
  for (const [name, text] of Object.entries(result.verified)) console.log(`helm verify ${name}: ${text.split('\n').join(' | ')}`);
  console.log(`package+sign ${result.timings.packageAndSign} ms, index ${result.timings.index} ms, verify ${result.timings.verify} ms`);
}

if (require.main === module) {
  try {
    main(process.argv);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
