#!/usr/bin/env node
// The istio-charts CLI, started from compiled JavaScript (lib/): the npm package ships it (built
// by prepack), and in a checkout `npm run compile` builds it. A checkout whose lib/ is missing or
// older than a TypeScript source runs the sources through ts-node with SWC instead (types are
// checked by `npm run build`): correct, but about a second slower to start.
const { existsSync, readdirSync, statSync } = require('fs');
const { join } = require('path');
const root = join(__dirname, '..');
const compiled = join(root, 'lib', 'cli', 'main.js');

/** The newest modification time of a file under dir that lib/ is made from (Go sources are not). */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!e.name.endsWith('.go')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  if (!existsSync(compiled)) return false;
  const src = join(root, 'src');
  const newest = existsSync(src) ? newestSource(src) : 0;
  if (newest === 0) return true; // the package: only Go sources beside lib/
  const stamp = join(root, 'lib', '.compiled');
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newest;
}

if (compiledIsFresh()) {
  require(compiled).main(process.argv);
} else {
  require('ts-node').register({ swc: true, project: join(root, 'tsconfig.json') });
  require('../src/cli/main.ts').main(process.argv);
}
