#!/usr/bin/env node
'use strict';
// The CLI is written in TypeScript; tsx compiles it on the fly so no build step is needed.
require('tsx/cjs/api').register();
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`residual: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
