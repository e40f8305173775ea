#!/usr/bin/env node
// The istio-charts CLI. Installed from the npm package it runs the compiled JavaScript (lib/,
// built by `npm pack`'s prepack script). In a checkout there is no lib/ (postpack removes it, so
// it never goes stale), and the TypeScript sources run through ts-node with SWC as the
// transpiler (types are checked by `npm run build`, not at each start): about 1 s to start,
// where TypeScript's own transpiler takes 3 s.
const { existsSync } = require('fs');
const { join } = require('path');
const compiled = join(__dirname, '..', 'lib', 'cli', 'main.js');
if (existsSync(compiled)) {
  require(compiled).main(process.argv);
} else {
  require('ts-node').register({ swc: true, project: join(__dirname, '..', 'tsconfig.json') });
  require('../src/cli/main.ts').main(process.argv);
}
