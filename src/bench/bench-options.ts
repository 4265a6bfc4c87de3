/**
 * The command line of `npm run bench`, parsed without side effects (so that it can be tested):
 *
 *   --only access|validation|taxii|taxii11|stream|webhook|feeds|match-api|mirror|match|pivot|campaigns   one part only (default: all)
 *   --objects N                      TAXII: objects loaded before the page benchmarks (default 100,000)
 *   --compare-sizes A,B              TAXII: the page benchmarks at each size (loading up to A, measuring,
 *                                    loading on up to B, measuring) and the page-rate ratio between them
 *   --seconds S                      TAXII: length of each page benchmark (default 10)
 *   --database-url URL               TAXII on PostgreSQL (a fresh database on that server), else PGlite
 *   --baseline REF                   TAXII also against the hub built at that git ref, with ratios
 *   --rounds N                       TAXII with --baseline: N rounds, the order alternating (default 1)
 *   --workers N                      TAXII: the hub started with WORKERS=N
 *   --workers-compare                TAXII: the page benchmarks with 1 and 2 workers (or 1 and --workers N)
 *
 * `--name value` and `--name=value` are both accepted.
 */
export type BenchPart = 'access' | 'validation' | 'taxii' | 'taxii11' | 'stream' | 'webhook' | 'feeds' | 'match-api' | 'mirror' | 'match' | 'pivot' | 'campaigns';

export interface BenchOptions {
  readonly only?: BenchPart;
  /** Ascending sizes at which the TAXII page benchmarks run; one unless --compare-sizes. */
  readonly sizes: readonly number[];
  readonly seconds: number;
  readonly databaseUrl?: string;
  readonly baseline?: string;
  readonly rounds: number;
  /** Worker counts the page benchmarks run with; the first is the one ingest runs with. */
  readonly workers: readonly number[];
}

const VALUED = ['only', 'objects', 'compare-sizes', 'seconds', 'database-url', 'baseline', 'rounds', 'workers'] as const;
const FLAGS = ['workers-compare'] as const;
type Valued = (typeof VALUED)[number];

export class BenchUsageError extends Error {}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new BenchUsageError(`--${name} takes a whole number >= ${min}, not "${text}"`);
  return value;
}

export function parseBenchArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  const values = new Map<Valued, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new BenchUsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if ((FLAGS as readonly string[]).includes(name)) {
      if (eq >= 0) throw new BenchUsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!(VALUED as readonly string[]).includes(name)) throw new BenchUsageError(`unknown option --${name} (known: ${[...VALUED, ...FLAGS].map((o) => `--${o}`).join(', ')})`);
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new BenchUsageError(`--${name} needs a value`);
    if (values.has(name as Valued)) throw new BenchUsageError(`--${name} given twice`);
    values.set(name as Valued, value);
  }

  const only = values.get('only');
  if (only !== undefined && only !== 'access' && only !== 'validation' && only !== 'taxii' && only !== 'taxii11' && only !== 'stream' && only !== 'webhook' && only !== 'feeds' && only !== 'match-api' && only !== 'mirror' && only !== 'match' && only !== 'pivot' && only !== 'campaigns') {
    throw new BenchUsageError(`--only takes access, validation, taxii, taxii11, stream, webhook, feeds, match-api, mirror, match, pivot or campaigns, not "${only}"`);
  }

  const objectsText = values.get('objects');
  const sizesText = values.get('compare-sizes');
  if (objectsText !== undefined && sizesText !== undefined) throw new BenchUsageError('--objects and --compare-sizes exclude each other (--compare-sizes gives the sizes)');
  let sizes: number[];
  if (sizesText !== undefined) {
    sizes = sizesText.split(',').map((s) => wholeNumber('compare-sizes', s.trim(), 100));
    if (sizes.length !== 2) throw new BenchUsageError('--compare-sizes takes two sizes, e.g. 10000,1000000');
    sizes.sort((a, b) => a - b);
    if (sizes[0] === sizes[1]) throw new BenchUsageError('--compare-sizes takes two different sizes');
  } else {
    sizes = [objectsText === undefined ? 100_000 : wholeNumber('objects', objectsText, 100)];
  }

  const secondsText = values.get('seconds');
  const seconds = secondsText === undefined ? 10 : Number(secondsText);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new BenchUsageError(`--seconds takes a positive number, not "${secondsText}"`);

  const workersText = values.get('workers');
  const workers = workersText === undefined ? undefined : wholeNumber('workers', workersText, 1);
  let workerCounts: number[];
  if (flags.has('workers-compare')) {
    const other = workers ?? 2;
    if (other === 1) throw new BenchUsageError('--workers-compare compares 1 worker with --workers N: N must be more than 1');
    workerCounts = [1, other];
  } else {
    workerCounts = [workers ?? 1];
  }

  const baseline = values.get('baseline');
  const roundsText = values.get('rounds');
  const rounds = roundsText === undefined ? 1 : wholeNumber('rounds', roundsText, 1);
  if (rounds > 1 && baseline === undefined) throw new BenchUsageError('--rounds alternates the order of the current and the --baseline hub: it needs --baseline');

  const databaseUrl = values.get('database-url') ?? (env.BENCH_DATABASE_URL || undefined);
  return {
    ...(only !== undefined ? { only } : {}),
    sizes,
    seconds,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    rounds,
    workers: workerCounts,
  };
}

/** Which hub goes first in each round: current first in even rounds, the baseline first in odd ones. */
export function roundOrder(round: number): readonly ('current' | 'baseline')[] {
  return round % 2 === 0 ? ['current', 'baseline'] : ['baseline', 'current'];
}
