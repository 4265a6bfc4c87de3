import type { AdminOutcome } from '../../../src/cli/admin/admin-executor';
import { printOutcome } from '../../../src/cli/admin/admin-output';

/** How the admin commands print what the hub answered. */

function print(outcome: AdminOutcome, more?: (cursor: string) => string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = printOutcome(outcome, false, { out: (l) => void out.push(l), err: (l) => void err.push(l) }, more ? { more } : {});
  return { code, out, err };
}

describe('a refused request', () => {
  test('whose message spells out its problems prints the title and each problem once', () => {
    const printed = print({ ok: false, status: 400, title: 'Validation failed', message: 'roles[0]: must be one of "provider"; password: is too short', problems: [{ path: 'roles[0]', message: 'must be one of "provider"' }, { path: 'password', message: 'is too short' }] });
    expect(printed).toEqual({ code: 1, out: [], err: ['error (400): Validation failed', '  roles[0]: must be one of "provider"', '  password: is too short'] });
  });

  test('with a message of its own prints the message, then the problems', () => {
    const printed = print({ ok: false, status: 400, title: 'Validation failed', message: 'the submission is not valid', problems: [{ path: 'valid_from', message: 'is required' }] });
    expect(printed.err).toEqual(['error (400): the submission is not valid', '  valid_from: is required']);
  });

  test('without problems prints the message', () => {
    expect(print({ ok: false, status: 409, message: 'finance-isac is managed by the hub config', problems: [] }).err).toEqual(['error (409): finance-isac is managed by the hub config']);
  });
});

describe('a list with more pages', () => {
  const page = { ok: true as const, status: 200, body: { indicators: [{ id: 'indicator--1', state: 'active' }], next_after: '41', more: true } };

  test('prints the table, and on stderr that more follow and how to read them', () => {
    const printed = print(page, (cursor) => `(more follow: --after ${cursor} or --all)`);
    expect(printed.out).toEqual(['ID            STATE', 'indicator--1  active']);
    expect(printed.err).toEqual(['(more follow: --after 41 or --all)']);
  });

  test('a figure with a count (sightings) shows the count in the table', () => {
    const printed = print({ ok: true, status: 200, body: { indicators: [{ id: 'indicator--1', sightings: { count: 3, reports: 2, by_organization: [] } }] } });
    expect(printed.out).toEqual(['ID            SIGHTINGS', 'indicator--1  3']);
  });

  test('on the last page says nothing more', () => {
    expect(print({ ok: true, status: 200, body: { indicators: [], more: false } }).err).toEqual([]);
  });
});
