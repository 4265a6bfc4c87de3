import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * Body limits, counted in raw bytes: the API root's max_content_length on TAXII, SUBMISSION_LIMIT on
 * the hub API, BODY_LIMIT on the admin API. Exactly the limit is read; one byte more is 413 in the
 * route's error form, and nothing is stored.
 */

const message = (route: { form: string; limit: number }) =>
  route.form === 'taxii'
    ? `The request body is larger than this API root's max_content_length of ${route.limit} bytes`
    : `The request body is larger than the limit of ${route.limit} bytes`;

describe.each(testEngines())('oversize bodies, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test('a body of exactly the limit is read and stored', async () => {
      const sent = await route.send(hub, '"within the limit"', route.limit);
      expect(sent.res.status).toBe(route.created);
      expect(await sent.stored()).toBe(true);
    });

    test('one byte more: 413, nothing stored', async () => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, '"over the limit"', route.limit + 1);
      await expectRefused(hub, route, sent, 'PAYLOAD_TOO_LARGE', message(route), before);
    });
  });
});
