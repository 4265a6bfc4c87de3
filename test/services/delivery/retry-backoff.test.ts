import { DEFAULT_BACKOFF, retryDelayMs } from '../../../src/services/delivery/retry-backoff';

describe('retry delays: exponential backoff with full jitter', () => {
  test.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [9, 256_000],
    [10, 300_000], // capped at 5 minutes
    [1_000, 300_000],
  ])('after %i failures the delay is at most %i ms', (failures, ceiling) => {
    expect(retryDelayMs(DEFAULT_BACKOFF, failures, () => 0.999_999_9)).toBe(ceiling - 1);
    expect(retryDelayMs(DEFAULT_BACKOFF, failures, () => 0.5)).toBe(ceiling / 2);
  });

  test('a draw near zero still waits the floor', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 5, () => 0)).toBe(DEFAULT_BACKOFF.floorMs);
  });
});
