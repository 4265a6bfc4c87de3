import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, roundTrip, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * U+0000: PostgreSQL text and jsonb cannot hold it. The escape \u0000 is refused on every route,
 * 422 naming the place (before, the hub and admin APIs answered 500); nothing stored. The text
 * `\u0000` (an escaped backslash before u0000) is ordinary text.
 */

const message = (at: string) => `The request body contains the character U+0000 (\\u0000) at ${at}, which the hub cannot store; remove it`;

describe.each(testEngines())('NUL, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test.each([
      ['in a value', '"a\\u0000b"', ''],
      ['at the end of a value after an escaped backslash', '"C:\\\\\\u0000"', ''],
      ['in a key', '{"x\\u0000": true}', '["x\\u0000"]'],
    ])('%s: 422 naming the place, nothing stored', async (_name, fragment, below) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, fragment);
      await expectRefused(hub, route, sent, 'UNPROCESSABLE', message(`${route.at}${below}`), before);
    });
  });

  test('the text \\u0000 (an escaped backslash before u0000) is stored and read back as sent', async () => {
    const { res, stored } = await roundTrip(hub, '"C:\\\\u0000"');
    expect(res.status).toBe(202);
    expect(stored).toBe('C:\\u0000');
  });
});
