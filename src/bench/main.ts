import { runAccessBench } from './access-bench';
import { runCampaignBench } from './campaign-bench';
import { runFeedBench } from './feed-bench';
import { BenchUsageError, parseBenchArgs } from './bench-options';
import { runJsonBodyBench } from './json-body-bench';
import { runMatchApiBench } from './match-api-bench';
import { runMatchBench } from './match-bench';
import { runMirrorSyncBench } from './mirror-sync-bench';
import { runPatternBench } from './pattern-bench';
import { runPivotBench } from './pivot-bench';
import { runStreamBench } from './stream-bench';
import { runStixValidationBench } from './stix-validation-bench';
import { runSubmissionBench } from './submission-bench';
import { runTaxiiBench } from './taxii-bench';
import { runTaxii11Bench } from './taxii11-bench';
import { runWarningListBench } from './warning-list-bench';
import { runWebhookLatencyBench } from './webhook-latency-bench';

/**
 * `npm run bench [-- --only access|validation|taxii|taxii11|stream|webhook|feeds|match-api|mirror|match|pivot|campaigns] [--objects N | --compare-sizes A,B] [--seconds S]
 * [--database-url postgres://…] [--baseline REF [--rounds N]] [--workers N] [--workers-compare]`:
 * prints the hub's performance figures (options: bench-options.ts; docs/benchmarks.md). Without
 * --database-url the TAXII benchmark runs the hub on PGlite; with it, on a fresh database created on
 * that PostgreSQL server (and dropped afterwards).
 */
async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), process.env);
  const print = (line: string) => console.log(line);
  const only = options.only;
  // Ctrl-C: exit through process.exit so that the 'exit' hooks (the baseline's temporary build) run.
  process.once('SIGINT', () => process.exit(130));
  print(`taxii-hub benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
  print('');
  if (only === undefined || only === 'access') await runAccessBench(print);
  if (only === undefined || only === 'validation') {
    print('');
    runPatternBench(print);
    print('');
    runStixValidationBench(print);
    print('');
    runJsonBodyBench(print);
    print('');
    runWarningListBench(print);
    print('');
    await runSubmissionBench(print);
  }
  if (only === undefined || only === 'taxii') {
    print('');
    await runTaxiiBench(
      {
        sizes: options.sizes,
        seconds: options.seconds,
        ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
        ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
        rounds: options.rounds,
        workers: options.workers,
      },
      print,
    );
  }
  if (only === undefined || only === 'taxii11') {
    print('');
    await runTaxii11Bench({ objects: options.sizes[options.sizes.length - 1] ?? 100_000, seconds: options.seconds, ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) }, print);
  }
  if (only === undefined || only === 'stream') {
    print('');
    await runStreamBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'feeds') {
    print('');
    await runFeedBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'webhook') {
    print('');
    await runWebhookLatencyBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'match-api') {
    print('');
    await runMatchApiBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'mirror') {
    print('');
    await runMirrorSyncBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'match') {
    print('');
    await runMatchBench({}, print);
  }
  if (only === undefined || only === 'pivot') {
    print('');
    await runPivotBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
  if (only === undefined || only === 'campaigns') {
    print('');
    await runCampaignBench(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}, print);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `npm run bench: ${error.message}` : error instanceof Error ? error.message : error);
  process.exit(1);
});
