import { retainedHeapBytes } from '../../src/bench/process-memory';

/** The benchmarks' heap figure (src/bench/process-memory.ts; its /proc readings: bench-harness.test.ts). */
describe('process memory for the benchmarks', () => {
  test('the heap held after a full collection counts what is still referenced, not what was dropped', () => {
    const kept: { objects?: { n: number; text: string }[] } = { objects: Array.from({ length: 400_000 }, (_, n) => ({ n, text: `value ${n}` })) }; // tens of MiB
    const holding = retainedHeapBytes();
    expect(kept.objects?.length).toBe(400_000);
    delete kept.objects;
    const dropped = retainedHeapBytes();
    expect(holding - dropped).toBeGreaterThan(16 * 1024 * 1024);
    expect(dropped).toBeGreaterThan(0);
  });
});
