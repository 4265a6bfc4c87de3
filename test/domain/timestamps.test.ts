import { compareUtcTimestamps, utcTimestampProblem } from '../../src/domain/timestamps';

describe('compareUtcTimestamps: STIX timestamps ordered exactly, as text', () => {
  test.each<[string, string, number]>([
    ['2026-01-31T12:00:00Z', '2026-01-31T12:00:01Z', -1],
    ['2026-01-31T12:00:00.5Z', '2026-01-31T12:00:00.500000Z', 0],
    ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z', 0],
    ['2026-01-31T12:00:00.1000001Z', '2026-01-31T12:00:00.1Z', 1],
    ['2026-01-31T12:00:00.4999Z', '2026-01-31T12:00:00.5Z', -1],
    ['2025-12-31T23:59:59.999999999Z', '2026-01-01T00:00:00Z', -1],
  ])('%s against %s: %d', (a, b, sign) => {
    expect(Math.sign(compareUtcTimestamps(a, b) ?? NaN)).toBe(sign);
    expect(Math.sign(compareUtcTimestamps(b, a) ?? NaN)).toBe(-sign || 0);
  });

  test.each(['2026-01-31T12:00:00+01:00', '2026-01-31t12:00:00Z', '2026-01-31', 'yesterday'])('%s is no STIX timestamp: undefined', (text) => {
    expect(compareUtcTimestamps(text, '2026-01-31T12:00:00Z')).toBeUndefined();
    expect(compareUtcTimestamps('2026-01-31T12:00:00Z', text)).toBeUndefined();
  });
});

describe('utcTimestampProblem: what is wrong with a STIX timestamp', () => {
  test.each(['2026-01-31T12:00:00Z', '2024-02-29T00:00:00.123456789Z', '2016-12-31T23:59:60Z'])('%s is one', (text) => {
    expect(utcTimestampProblem(text)).toBeUndefined();
  });

  test.each([
    ['2026-01-31T12:00:00+01:00', 'is not an RFC 3339 UTC timestamp'],
    ['2026-13-01T00:00:00Z', 'has month 13'],
    ['2026-02-29T00:00:00Z', 'has day 29, not in 2026-02'],
    ['2026-01-31T24:00:00Z', 'has hour 24'],
    ['2026-01-31T12:60:00Z', 'has minute 60'],
    ['2026-01-31T12:00:61Z', 'has second 61'],
  ])('%s %s', (text, problem) => {
    expect(utcTimestampProblem(text)).toContain(problem);
  });
});
