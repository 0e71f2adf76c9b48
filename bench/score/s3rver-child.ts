// A local S3 server in its own process, so the benchmark's handler and the server do not share one
// JavaScript thread (in Lambda, S3 is on other machines). Prints the endpoint, then serves until killed.
import { startLocalS3 } from '../../storage/adapters/local-s3-server';

const [directory, ...buckets] = process.argv.slice(2);
startLocalS3({ directory: directory!, buckets }).then((s3) => {
  process.stdout.write(`${s3.endpoint}\n`);
  process.on('SIGTERM', () => void s3.close().then(() => process.exit(0)));
});
