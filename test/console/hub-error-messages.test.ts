import { ApiError } from '../../console/src/api';
import { hubErrorHeading, hubErrorMessages } from '../../console/src/components/hub-error-messages';
import { formatTime, isTime } from '../../console/src/components/time-format';
import { ERROR_CATALOG } from '../../src/domain/errors';

/**
 * The console's words for the hub's refusals (components/hub-error-messages.ts) against the hub's one
 * error catalog (src/domain/errors.ts), and its one way of writing times (components/time-format.ts).
 */

describe('headings for the hub\'s refusals', () => {
  test('every key in English and Japanese', () => {
    expect(Object.keys(hubErrorMessages.ja).sort()).toEqual(Object.keys(hubErrorMessages.en).sort());
    for (const [key, text] of Object.entries(hubErrorMessages.ja)) expect([key, text.trim()]).not.toEqual([key, '']);
  });

  test('every code of the hub\'s error catalog and every HTTP status in it has a heading', () => {
    const codes = Object.keys(ERROR_CATALOG);
    expect(codes.filter((code) => hubErrorMessages.en[`code.${code}`] === undefined)).toEqual([]);
    const statuses = [...new Set(Object.values(ERROR_CATALOG).map((entry) => entry.httpStatus))];
    expect(statuses.filter((status) => hubErrorMessages.en[`status.${status}`] === undefined)).toEqual([]);
    // No heading for a code the hub does not have (a renamed code would leave a stale one behind).
    const named = Object.keys(hubErrorMessages.en).filter((key) => key.startsWith('code.')).map((key) => key.slice('code.'.length));
    expect(named.filter((code) => !codes.includes(code))).toEqual([]);
  });

  test('a refusal is headed by its code, else its status, else in general; a network failure says so; anything else has none', () => {
    expect(hubErrorHeading('ja', new ApiError(403, 'FORBIDDEN', 'you need the operator role'))).toBe('権限がありません');
    expect(hubErrorHeading('ja', new ApiError(409, 'CONFLICT', 'already rejected'))).toBe('現在の状態ではできません');
    expect(hubErrorHeading('en', new ApiError(409, 'CONFLICT', 'already rejected'))).toBe('Not possible in the current state');
    expect(hubErrorHeading('ja', new ApiError(502, 'HTTP_502', 'Bad Gateway'))).toBe(hubErrorMessages.ja['status.502']);
    expect(hubErrorHeading('ja', new ApiError(418, 'HTTP_418', "I'm a teapot"))).toBe(hubErrorMessages.ja['status.other']);
    expect(hubErrorHeading('ja', new ApiError(0, 'NETWORK', 'The hub could not be reached'))).toBe('ハブに接続できません');
    expect(hubErrorHeading('ja', new Error('a bug'))).toBeUndefined();
  });
});

describe('times in the UI language', () => {
  const at = '2026-12-07T03:05:09.123456Z';
  const tokyo = 'Asia/Tokyo';

  test('Japanese and English forms of the same instant, in a given time zone, named', () => {
    expect(formatTime('ja', at, 'dateTime', tokyo)).toBe('2026年12月7日 12:05 JST');
    expect(formatTime('en', at, 'dateTime', tokyo)).toBe('Dec 7, 2026, 12:05 GMT+9');
    expect(formatTime('ja', at, 'precise', tokyo)).toBe('2026年12月7日 12:05:09 JST');
    expect(formatTime('en', at, 'precise', 'UTC')).toBe('Dec 7, 2026, 03:05:09 UTC');
    expect(formatTime('ja', at, 'date', tokyo)).toBe('2026年12月7日');
  });

  test('what is no time is shown as it came; isTime takes full RFC 3339 only', () => {
    expect(formatTime('ja', 'soon')).toBe('soon');
    expect(isTime('2026-12-01T08:00:00Z')).toBe(true);
    expect(isTime(' 2026-12-01T08:00:00.5+09:00 ')).toBe(true);
    expect(isTime('2026-12-01')).toBe(false);
    expect(isTime('1')).toBe(false);
    expect(isTime('2026-13-01T08:00:00Z')).toBe(false);
  });
});
