import { runAccessBench } from './access-bench';
import { runJsonBodyBench } from './json-body-bench';
import { runPatternBench } from './pattern-bench';
import { runStixValidationBench } from './stix-validation-bench';
import { runSubmissionBench } from './submission-bench';
import { runTaxiiBench } from './taxii-bench';

/**
 * `npm run bench [-- --objects N] [--database-url postgres://…] [--seconds S] [--only access|validation|taxii]`:
 * prints the hub's performance figures. Without --database-url the TAXII benchmark runs the hub on
 * PGlite; with it, on a fresh database created on that PostgreSQL server (and dropped afterwards).
 */
function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const print = (line: string) => console.log(line);
  const only = option(args, 'only');
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
    await runSubmissionBench(print);
  }
  if (only === undefined || only === 'taxii') {
    print('');
    const objects = Number(option(args, 'objects') ?? 100_000);
    const seconds = Number(option(args, 'seconds') ?? 10);
    if (!Number.isInteger(objects) || objects < 100 || !Number.isFinite(seconds) || seconds <= 0) throw new Error('--objects takes a whole number >= 100, --seconds a positive number');
    await runTaxiiBench({ objects, seconds, databaseUrl: option(args, 'database-url') ?? process.env.BENCH_DATABASE_URL }, print);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
