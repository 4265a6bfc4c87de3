import { retainedHeapBytes, statusField } from '../../src/bench/process-memory';

/** The benchmarks' memory figures (src/bench/process-memory.ts). */
describe('process memory for the benchmarks', () => {
  test('the heap held after a full collection counts what is still referenced, not what was dropped', () => {
    let held: Float64Array[] | undefined = Array.from({ length: 64 }, () => new Float64Array(8192).fill(1)); // 4 MiB off the arrays' own heap
    let objects: { n: number; text: string }[] | undefined = Array.from({ length: 400_000 }, (_, n) => ({ n, text: `value ${n}` })); // tens of MiB on the heap
    const holding = retainedHeapBytes();
    expect(held.length + objects.length).toBe(400_064);
    held = undefined;
    objects = undefined;
    const dropped = retainedHeapBytes();
    expect(holding - dropped).toBeGreaterThan(16 * 1024 * 1024);
    expect(dropped).toBeGreaterThan(0);
  });

  test('a /proc status field in kB reads as bytes; an absent one as undefined', () => {
    expect(statusField('VmRSS:\t  2048 kB\nVmHWM:\t4096 kB\n', 'VmHWM')).toBe(4096 * 1024);
    expect(statusField('VmRSS:\t  2048 kB\n', 'VmSwap')).toBeUndefined();
  });
});
