'use strict';
// Runs in a fresh Node process against the esbuild bundle of the handler (what Lambda loads):
// measures the import, then the first invocation (model fetch + session create + a one-row object).
const t0 = performance.now();
const bundle = require(process.argv[2]);
const imported = performance.now();
const event = JSON.parse(process.argv[3]);
bundle.handler(event).then(() => {
  const invoked = performance.now();
  process.stdout.write(JSON.stringify({ bootMs: t0, importMs: imported - t0, firstInvokeMs: invoked - imported, totalMs: invoked }) + '\n');
}, (err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exitCode = 1;
});
