/**
 * Overlays during `helm install`/`upgrade`/`template`: helm v4 takes post-renderers only as
 * plugins (`--post-renderer <plugin name>`), so we keep a `postrenderer/v1` plugin of our own
 * in a private plugin directory (under the cache, never the user's helm plugins) and point
 * HELM_PLUGINS at it for that one helm command. The plugin runs post-render.ts with the
 * overlays file given by `--post-renderer-args`.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { cacheDir } from '../tools/cache';

export const POST_RENDERER_PLUGIN = 'istio-charts-overlays';

/** The command that runs post-render.ts: node, through ts-node when we run from source. */
function command(): { command: string; args: string[] } {
  const script = join(__dirname, __filename.endsWith('.ts') ? 'post-render.ts' : 'post-render.js');
  if (!script.endsWith('.ts')) return { command: process.execPath, args: [script] };
  return { command: process.execPath, args: ['-r', require.resolve('ts-node/register/transpile-only'), script] };
}

function pluginYaml(): string {
  const c = command();
  return [
    'apiVersion: v1',
    'type: postrenderer/v1',
    `name: ${POST_RENDERER_PLUGIN}`,
    'version: 0.1.0',
    'runtime: subprocess',
    'runtimeConfig:',
    '  platformCommand:',
    `  - command: ${JSON.stringify(c.command)}`,
    `    args: ${JSON.stringify(c.args)}`,
    '',
  ].join('\n');
}

/** The plugin directory (HELM_PLUGINS), written once per plugin content. */
export function postRendererPluginDir(): string {
  const text = pluginYaml();
  const dir = join(cacheDir(), 'helm-plugins', createHash('sha256').update(text).digest('hex').slice(0, 12));
  if (existsSync(join(dir, POST_RENDERER_PLUGIN, 'plugin.yaml'))) return dir;
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, POST_RENDERER_PLUGIN), { recursive: true });
  writeFileSync(join(tmp, POST_RENDERER_PLUGIN, 'plugin.yaml'), text);
  if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true }); // another process was first
  else renameSync(tmp, dir);
  return dir;
}

/** What to add to a helm v4 command (environment and arguments) so that it applies the overlays in `overlaysFile`. */
export function helmPostRendererArgs(overlaysFile: string): { env: Record<string, string>; args: string[] } {
  return {
    env: { HELM_PLUGINS: postRendererPluginDir() },
    args: ['--post-renderer', POST_RENDERER_PLUGIN, '--post-renderer-args', resolve(overlaysFile)],
  };
}
