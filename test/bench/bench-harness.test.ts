import { spawn } from 'node:child_process';
import { BenchUsageError, parseBenchArgs, roundOrder } from '../../src/bench/bench-options';
import { evaluate, medianFigures, renderTable, type Figure } from '../../src/bench/bench-targets';
import { readTreeMemory, sampleTreeMemory, statusField } from '../../src/bench/process-memory';

describe('bench arguments', () => {
  it('has defaults: 100,000 objects, 10 s, PGlite, one worker, one round', () => {
    expect(parseBenchArgs([])).toEqual({ sizes: [100_000], seconds: 10, rounds: 1, workers: [1] });
  });

  it('reads --name value and --name=value, and BENCH_DATABASE_URL when no --database-url', () => {
    const options = parseBenchArgs(['--only', 'taxii', '--objects=2_000', '--seconds', '0.5', '--baseline', 'HEAD~1', '--rounds', '2', '--workers', '4'], { BENCH_DATABASE_URL: 'postgres://x/y' });
    expect(options).toEqual({ only: 'taxii', sizes: [2000], seconds: 0.5, databaseUrl: 'postgres://x/y', baseline: 'HEAD~1', rounds: 2, workers: [4] });
    expect(parseBenchArgs(['--database-url', 'postgres://a/b'], { BENCH_DATABASE_URL: 'postgres://x/y' }).databaseUrl).toBe('postgres://a/b');
  });

  it('--compare-sizes gives two ascending sizes; --workers-compare 1 and 2 (or --workers N)', () => {
    expect(parseBenchArgs(['--compare-sizes', '1000000,10000']).sizes).toEqual([10_000, 1_000_000]);
    expect(parseBenchArgs(['--workers-compare']).workers).toEqual([1, 2]);
    expect(parseBenchArgs(['--workers-compare', '--workers', '4']).workers).toEqual([1, 4]);
  });

  it.each([
    [['--objects', '50'], /whole number >= 100/],
    [['--objects', '1e5'], /whole number/],
    [['--objects', '2000', '--compare-sizes', '100,200'], /exclude each other/],
    [['--compare-sizes', '1000'], /two sizes/],
    [['--compare-sizes', '1000,1000'], /two different/],
    [['--seconds', '0'], /positive number/],
    [['--only', 'pages'], /--only takes/],
    [['--rounds', '2'], /needs --baseline/],
    [['--workers-compare', '--workers', '1'], /more than 1/],
    [['--objets', '5'], /unknown option --objets/],
    [['--baseline'], /needs a value/],
    [['--baseline', '--objects', '200'], /needs a value/],
    [['--workers-compare=2'], /takes no value/],
    [['taxii'], /unexpected argument/],
    [['--seconds', '1', '--seconds', '2'], /given twice/],
  ])('rejects %j', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(args)).toThrow(message);
  });

  it('alternates which hub goes first', () => {
    expect([0, 1, 2].map(roundOrder)).toEqual([
      ['current', 'baseline'],
      ['baseline', 'current'],
      ['current', 'baseline'],
    ]);
  });
});

describe('bench targets', () => {
  const fig = (metric: Figure['metric'], value: number, size = 1_000_000, workers = 1, compared?: [number, number]): Figure => ({ metric, value, size, workers, ...(compared ? { compared } : {}) });

  it('judges a figure by the target of its engine and size', () => {
    const [rate, p99, ingest] = evaluate('postgres', [fig('page100.rate', 2100), fig('page100.p99', 60), fig('ingest', 19_000)]);
    expect(rate).toMatchObject({ target: '>= 2,000 pages/s', met: true });
    expect(rate?.differs).toBeUndefined();
    expect(p99).toMatchObject({ target: '<= 50 ms', met: false });
    expect(ingest).toMatchObject({ target: '>= 20,000 objects/s', met: false });
    const [pglite] = evaluate('pglite', [fig('page100.rate', 900, 100_000)]);
    expect(pglite).toMatchObject({ target: '>= 800 pages/s', met: true });
  });

  it('has no target for measures without one on that engine', () => {
    const [p99, page1000, rss] = evaluate('pglite', [fig('page100.p99', 10, 100_000), fig('page1000.rate', 5, 100_000), fig('rss.rest.process', 900, 100_000)]);
    for (const row of [p99, page1000, rss]) expect([row?.target, row?.met]).toEqual([undefined, undefined]);
  });

  it('says when the run is at another size than the target, and attaches a sized target to the nearest size only', () => {
    const rows = evaluate('postgres', [fig('page100.rate', 3000, 10_000), fig('page100.rate', 2500, 200_000)]);
    expect(rows[0]?.target).toBeUndefined();
    expect(rows[1]).toMatchObject({ target: '>= 2,000 pages/s', met: true, differs: 'target for 1,000,000 objects, run at 200,000' });
    const table = renderTable(rows, false).join('\n');
    expect(table).toContain('met *');
    expect(table).toMatch(/indicative only/);
  });

  it('judges the size and worker ratios, noting what they compare', () => {
    const [sizes, workers, workersOther] = evaluate('postgres', [
      fig('page100.size-ratio', 1.6, 1_000_000, 1, [10_000, 1_000_000]),
      fig('page100.workers-ratio', 1.7, 1_000_000, 2, [1, 2]),
      fig('page100.workers-ratio', 2.5, 1_000_000, 4, [1, 4]),
    ]);
    expect(sizes).toMatchObject({ target: 'within 1.5x', met: false });
    expect(sizes?.differs).toBeUndefined();
    expect(workers).toMatchObject({ target: '>= 1.6x (2 vs 1 worker)', met: true });
    expect(workers?.differs).toBeUndefined();
    expect(workersOther).toMatchObject({ met: true, differs: 'target compares 1 and 2 workers, run 1 and 4' });
    expect(evaluate('postgres', [fig('page100.size-ratio', 0.9, 2000, 1, [500, 2000])])[0]).toMatchObject({ met: true, differs: 'target compares 10,000 and 1,000,000 objects, run 500 and 2,000' });
  });

  it('judges memory per process on PostgreSQL and in total on PGlite', () => {
    expect(evaluate('postgres', [fig('rss.serving.process', 210), fig('rss.serving.total', 600)]).map((r) => r.met)).toEqual([false, undefined]);
    expect(evaluate('pglite', [fig('rss.rest.total', 290, 100_000), fig('rss.serving.total', 410, 100_000)]).map((r) => r.met)).toEqual([true, false]);
  });

  it('pairs figures with the baseline and prints the ratio current / baseline', () => {
    const rows = evaluate('pglite', [fig('page100.rate', 300, 2000), fig('ingest', 5000, 2000)], [fig('page100.rate', 200, 2000)]);
    expect(rows[0]).toMatchObject({ current: 300, baseline: 200, ratio: 1.5 });
    expect(rows[1]?.baseline).toBeUndefined();
    const lines = renderTable(rows, true);
    expect(lines[0]).toMatch(/\| measure +\| current +\| baseline +\| current \/ baseline \| target +\| met +\| note +\|/);
    expect(lines[2]).toMatch(/\| 300 pages\/s +\| 200 pages\/s +\| 1\.50x +\|/);
    expect(lines[2]).toContain('NOT MET *');
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBe(1);
  });

  it('takes the median of each figure over rounds', () => {
    const median = medianFigures([[fig('ingest', 1), fig('page100.rate', 10)], [fig('ingest', 3), fig('page100.rate', 30)], [fig('ingest', 2), fig('page100.rate', 50)]]);
    expect(median.map((f) => f.value)).toEqual([2, 30]);
    expect(medianFigures([[fig('ingest', 1)], [fig('ingest', 4)]])[0]?.value).toBe(2.5);
  });
});

describe('process memory', () => {
  it('reads kB fields of /proc/<pid>/status', () => {
    expect(statusField('Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t   100 kB\n', 'VmRSS')).toBe(100 * 1024);
    expect(statusField('Name:\tnode\n', 'VmRSS')).toBeUndefined();
  });

  const linux = process.platform === 'linux' ? it : it.skip;

  linux('sums the RSS of this process and its children', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      const tree = readTreeMemory(process.pid);
      const self = tree.processes[0];
      const kid = tree.processes.find((p) => p.pid === child.pid);
      expect(self).toMatchObject({ pid: process.pid, depth: 0 });
      expect(self?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(self?.hwmBytes).toBeGreaterThanOrEqual(self?.rssBytes as number);
      expect(kid).toMatchObject({ depth: 1 });
      expect(kid?.rssBytes).toBeGreaterThan(0);
      expect(tree.rssBytes).toBe(tree.processes.reduce((sum, p) => sum + p.rssBytes, 0));

      const sampler = sampleTreeMemory(process.pid, 20);
      await new Promise((r) => setTimeout(r, 120));
      const summary = sampler.stop();
      expect(summary.samples).toBeGreaterThanOrEqual(3);
      expect(summary.processes.map((p) => p.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(summary.totalRssBytes).toBeGreaterThanOrEqual(summary.maxProcessRssBytes);
    } finally {
      child.kill();
    }
  });

  it('reads nothing for a process that does not exist', () => {
    expect(readTreeMemory(2 ** 22 + 12345)).toEqual({ processes: [], rssBytes: 0, hwmBytes: 0 });
  });
});
