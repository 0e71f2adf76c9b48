// Scores one file in this process and prints its peak RSS (a child of the benchmark, so nothing else counts).
import { scoreFile } from '../../cli/commands/score';

const [model, input, output] = process.argv.slice(2);
scoreFile({ model: model!, input: input!, output: output!, mode: 'detect', threads: 1 }).then((summary) => {
  process.stdout.write(
    JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, rows: summary.rows_out, ms: summary.timings.total_ms }) + '\n',
  );
});
