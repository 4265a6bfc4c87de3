import { SlotHistory } from '../../../src/cli/serve/restart-policy';

describe('restarting the workers of serve --workers N', () => {
  test('a worker that keeps dying is restarted later each time, up to 30 s; a quiet minute starts over', () => {
    const slot = new SlotHistory();
    const delays = Array.from({ length: 10 }, (_, i) => slot.exited(i * 1000, true));
    expect(delays.map((verdict) => (verdict.action === 'restart' ? verdict.delayMs : verdict.action))).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(slot.exited(10 * 1000 + 60_000 + 9_000, true)).toEqual({ action: 'restart', delayMs: 250 });
  });

  test('three failed starts in a row give up; a start that reached listening resets the count', () => {
    const slot = new SlotHistory();
    expect(slot.exited(0, false).action).toBe('restart');
    expect(slot.exited(1000, false).action).toBe('restart');
    slot.listening();
    expect(slot.exited(2000, true).action).toBe('restart');
    expect(slot.exited(3000, false).action).toBe('restart');
    expect(slot.exited(4000, false).action).toBe('restart');
    expect(slot.exited(5000, false)).toEqual({ action: 'give-up', startupFailures: 3 });
  });
});
