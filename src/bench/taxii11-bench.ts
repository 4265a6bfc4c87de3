import { createBenchStore, startBenchHub } from './bench-hub-process';
import { ingest } from './taxii-bench';
import { runTaxii11InboxBench } from './taxii11-inbox-bench';
import { runTaxii11PollBench } from './taxii11-poll-bench';
import { runPushLatencyBench } from './push-latency-bench';

/**
 * `npm run bench -- --only taxii11`: the TAXII 1.1 figures of issue 12 against a hub in its own
 * process on the demo configuration — poll throughput (content blocks/s of 1,000-block parts over
 * `objects` indicators, target >= 5,000), inbox ingest (indicators/s, target >= 3,000) and push
 * latency (provider POST to subscriber receipt over 100 subscriptions, target p99 <= 2 s).
 */

export interface Taxii11BenchOptions {
  readonly objects: number;
  readonly seconds: number;
  readonly databaseUrl?: string;
}

export async function runTaxii11Bench(options: Taxii11BenchOptions, print: (line: string) => void): Promise<void> {
  print(`TAXII 1.1 (${options.databaseUrl !== undefined ? 'PostgreSQL' : 'PGlite'})`);
  const store = await createBenchStore(options.databaseUrl);
  try {
    const hub = await startBenchHub({ store });
    try {
      await runTaxii11PollBench(
        {
          url: hub.url,
          username: 'alice',
          password: 'alice-demo-pw',
          collectionName: 'acme-internal',
          objects: options.objects,
          seconds: options.seconds,
          seed: (url, from, count) => ingest(url, from, count, print),
        },
        print,
      );
    } finally {
      await hub.stop();
    }
  } finally {
    await store.drop();
  }
  const store11 = options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {};
  await runTaxii11InboxBench(store11, print);
  await runPushLatencyBench(store11, print);
}
