/**
 * Helm post-renderer: reads the rendered YAML stream on stdin, the overlays (a JSON list, as in
 * a Release's `overlays`) from the file named by the first argument, and writes the patched
 * stream to stdout. Helm runs it through the plugin of helm-plugin.ts.
 */
import { readFileSync } from 'fs';
import { Overlay, postRender } from './overlays';
import { manifestYaml, parseManifest } from './render';

export function main(argv: string[]): number {
  const [file] = argv;
  if (!file) {
    process.stderr.write('usage: post-render <overlays.json> < manifest.yaml\n');
    return 2;
  }
  try {
    const overlays = JSON.parse(readFileSync(file, 'utf8')) as Overlay[];
    process.stdout.write(manifestYaml(postRender(parseManifest(readFileSync(0, 'utf8')), overlays)));
    return 0;
  } catch (e) {
    process.stderr.write(`post-render: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
