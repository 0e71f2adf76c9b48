#!/usr/bin/env node
'use strict';
// residual supports Node >= 20.19 here and runs on nodejs22.x in Lambda; the SDK's Node 20 notice is noise for the CLI
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { join } = require('node:path');
const { bundledEntry, tempWritable } = require('./bundle-cache');

/**
 * The CLI is written in TypeScript. It runs from a cached esbuild bundle of its sources (bin/bundle-cache.js: built on
 * the first start after an edit, ~0.5 s less CPU per start than tsx's loader afterwards); with RESIDUAL_NO_BUNDLE=1,
 * or where no bundle can be built or cached, tsx compiles the sources on the fly, so no build step is ever needed.
 */
async function loadCli() {
  const entry = join(__dirname, '..', 'cli', 'main.ts');
  const bundle = process.env.RESIDUAL_NO_BUNDLE === '1' ? null : await bundledEntry(entry);
  if (bundle) {
    // stack traces (exit 70 prints one) name the TypeScript sources and their lines, as under tsx
    process.setSourceMapsEnabled(true);
    return require(bundle);
  }
  // tsx caches what it compiles in the temp folder too, and stops at start-up where it cannot create it
  if (!tempWritable()) process.env.TSX_DISABLE_CACHE ??= '1';
  require('tsx/cjs/api').register();
  return require(entry);
}

loadCli()
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`residual: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
