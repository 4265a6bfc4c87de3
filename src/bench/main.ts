import { runAccessBench } from './access-bench';

/**
 * `npm run bench`: prints the hub's performance figures. Each benchmark is a function of its own;
 * later issues add ingest, polling and validation throughput here.
 */
async function main(): Promise<void> {
  const print = (line: string) => console.log(line);
  print(`taxii-hub benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
  print('');
  await runAccessBench(print);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
