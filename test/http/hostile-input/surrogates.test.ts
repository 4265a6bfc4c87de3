import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, roundTrip, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * Lone surrogates: the escape of a high surrogate (\ud800-\udbff) not followed by the escape of a low
 * one, or a low surrogate (\udc00-\udfff) alone, parses into a string that is not Unicode text and
 * that PostgreSQL refuses (before, a 500 after validation had passed). Refused on every route with
 * the same message, 422, naming the place; nothing stored. A proper pair is a character and is kept.
 */

const message = (escape: string, at: string) =>
  `The request body contains a lone surrogate (${escape}) at ${at}, which is not a Unicode character and which the hub cannot store; send the character as a surrogate pair or remove it`;

describe.each(testEngines())('lone surrogates, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test.each([
      ['a high surrogate alone', '"\\ud800"', '\\ud800', ''],
      ['a low surrogate alone', '"\\udc00"', '\\udc00', ''],
      ['a high surrogate inside text', '"mail from \\uD83D to you"', '\\uD83D', ''],
      ['a high surrogate followed by another escape', '"\\udbff\\u0041"', '\\udbff', ''],
      ['a high surrogate followed by the raw low half', '"\\ud83d\udc1f"', '\\ud83d', ''],
      ['two high surrogates', '"\\ud83d\\ud83d"', '\\ud83d', ''],
      ['a low surrogate before a high one', '"\\udc1f\\ud83d"', '\\udc1f', ''],
      ['a lone surrogate in a list', '["ok", "\\ud800"]', '\\ud800', '[1]'],
      ['a lone surrogate in a key', '{"\\ud800": 1}', '\\ud800', '["\\ud800"]'],
    ])('%s: 422 naming the place, nothing stored', async (_name, fragment, escape, below) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, fragment);
      await expectRefused(hub, route, sent, 'UNPROCESSABLE', message(escape, `${route.at}${below}`), before);
    });
  });

  test.each([
    ['an escaped surrogate pair', '"\\ud83d\\udc1f"', '\u{1F41F}'],
    ['the same character as UTF-8', '"\u{1F41F}"', '\u{1F41F}'],
    ['an escaped backslash before u+d800 (the text \\ud800)', '"C:\\\\ud800"', 'C:\\ud800'],
  ])('%s is stored and read back as sent', async (_name, fragment, value) => {
    const { res, stored } = await roundTrip(hub, fragment);
    expect(res.status).toBe(202);
    expect(stored).toBe(value);
  });
});
