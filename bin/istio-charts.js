#!/usr/bin/env node
// The istio-charts CLI. From a checkout the TypeScript sources run through ts-node (types are
// checked by `npm run build`, not at each start, which keeps a command's start under a second).
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
require('../src/cli/main.ts').main(process.argv);
