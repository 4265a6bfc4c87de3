import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * Bodies are UTF-8 (RFC 8259 §8.1). Bytes that are not are refused with 400 on every route, never
 * replaced with U+FFFD and stored altered (before, the hub and admin APIs replaced them silently).
 */

describe.each(testEngines())('invalid UTF-8, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test.each([
      ['a byte that never occurs in UTF-8 (0xff)', [0xff]],
      ['a continuation byte alone (0x80)', [0x80]],
      ['an overlong encoding of "/" (0xc0 0xaf)', [0xc0, 0xaf]],
      ['a surrogate encoded as UTF-8 (CESU-8, 0xed 0xa0 0x80)', [0xed, 0xa0, 0x80]],
      ['a sequence cut short (0xe2 0x82)', [0xe2, 0x82]],
      ['Latin-1 text ("caf\\xe9")', [0x63, 0x61, 0x66, 0xe9]],
    ])('%s in a string: 400, nothing stored', async (_name, raw) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, Buffer.concat([Buffer.from('"'), Buffer.from(raw), Buffer.from('"')]));
      await expectRefused(hub, route, sent, 'BAD_REQUEST', 'The request body is not UTF-8 text', before);
    });
  });
});
