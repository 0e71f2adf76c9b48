'use strict';
// Runs in a fresh Node process against the esbuild bundle of the handler (what Lambda loads) and times
// what a cold start pays: the import, the model fetch + onnxruntime session (`preload`, which Lambda runs
// during init for PRELOAD_MODELS), and the first event (a one-row object: GET, score, two PUTs).
const t0 = performance.now();
const bundle = require(process.argv[2]);
const imported = performance.now();
const [event, model] = [JSON.parse(process.argv[3]), process.argv[4]];
(async () => {
  await bundle.preload([model]);
  const loaded = performance.now();
  await bundle.handler(event);
  const invoked = performance.now();
  process.stdout.write(
    JSON.stringify({ bootMs: t0, importMs: imported - t0, loadMs: loaded - imported, firstEventMs: invoked - loaded }) + '\n',
  );
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\n');
  process.exitCode = 1;
});
