import fc from 'fast-check';
import { formatTaxiiTimestamp, parseTaxiiTimestamp } from '../../../src/domain/taxii11/taxii-timestamps';

/** TAXII timestamp labels (X-08, TL-01, TL-07): xs:dateTime with a zone, ≤ 6 digits, kept as µs. */

const ok = (text: string): number => {
  const parsed = parseTaxiiTimestamp(text, 'Timestamp_Label');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.micros;
};

describe('parseTaxiiTimestamp', () => {
  it('X-08: reads Z and ±hh:mm zones to UTC microseconds', () => {
    expect(ok('2024-01-01T00:00:00Z')).toBe(1704067200000000);
    expect(ok('2024-01-01T00:00:00+00:00')).toBe(1704067200000000);
    expect(ok('2024-01-01T02:00:00.5+02:00')).toBe(1704067200500000);
    expect(ok('2023-12-31T19:00:00.000001-05:00')).toBe(1704067200000001);
  });

  it('TL-01: keeps all six fractional digits exactly', () => {
    expect(ok('2024-01-01T12:00:00.123456+00:00') % 1_000_000).toBe(123456);
    expect(ok('2024-01-01T12:00:00.000001Z') % 1_000_000).toBe(1);
  });

  it('ignores surrounding whitespace (element text is often indented)', () => {
    expect(ok('\n  2024-01-01T00:00:00Z  ')).toBe(1704067200000000);
  });

  it('X-08: a label without a zone is refused, naming the element', () => {
    expect(parseTaxiiTimestamp('2024-01-01T00:00:00', 'Exclusive_Begin_Timestamp')).toEqual({
      ok: false,
      message: "Exclusive_Begin_Timestamp '2024-01-01T00:00:00' has no time zone (TAXII timestamps need Z or ±hh:mm)",
    });
  });

  it('X-08: seven or more fractional digits are refused', () => {
    expect(parseTaxiiTimestamp('2024-01-01T00:00:00.0000001Z', 'Timestamp_Label')).toEqual({
      ok: false,
      message: "Timestamp_Label '2024-01-01T00:00:00.0000001Z' has 7 fractional digits (TAXII allows at most 6)",
    });
  });

  it.each(['2024-01-01', '2024-01-01 00:00:00Z', 'yesterday', '2024-1-1T00:00:00Z', ''])("'%s' is not a timestamp", (text) => {
    const parsed = parseTaxiiTimestamp(text, 'Inclusive_End_Timestamp');
    expect(parsed).toEqual({ ok: false, message: `Inclusive_End_Timestamp '${text}' is not an xs:dateTime with a time zone such as 2024-01-01T00:00:00.000000Z or 2024-01-01T00:00:00+00:00` });
  });

  it.each(['2024-02-30T00:00:00Z', '2024-01-01T25:00:00Z', '2024-13-01T00:00:00Z'])("'%s' is not a real date and time", (text) => {
    expect(parseTaxiiTimestamp(text, 'Timestamp_Label')).toEqual({ ok: false, message: `Timestamp_Label '${text}' is not a real date and time` });
  });
});

describe('formatTaxiiTimestamp', () => {
  it('X-08: writes UTC with exactly six fractional digits and Z', () => {
    expect(formatTaxiiTimestamp(1704067200000000)).toBe('2024-01-01T00:00:00.000000Z');
    expect(formatTaxiiTimestamp(1704110400123456)).toBe('2024-01-01T12:00:00.123456Z');
  });

  it('matches the XSD pattern of TimestampLabelType', () => {
    const pattern = /^-?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(((\+|-)[0-9]{2}:[0-9]{2})|Z)$/;
    expect(formatTaxiiTimestamp(1)).toMatch(pattern);
  });

  it('TL-07: round-trips every microsecond between 1970 and 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7_258_118_400_000_000 }), (micros) => {
        expect(ok(formatTaxiiTimestamp(micros))).toBe(micros);
      }),
      { numRuns: 2000 },
    );
  });
});
