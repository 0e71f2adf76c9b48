#!/usr/bin/env node
'use strict';
// The CLI is written in TypeScript; tsx compiles it on the fly so no build step is needed.
require('tsx/cjs/api').register();
// residual supports Node >= 20.19 here and runs on nodejs22.x in Lambda; the SDK's Node 20 notice is noise for the CLI
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`residual: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
