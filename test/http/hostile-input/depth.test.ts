import { MAX_JSON_DEPTH } from '../../../src/http/body/json-text-scan';
import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, roundTrip, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * Nesting: every JSON body is read at most MAX_JSON_DEPTH (100) levels deep, the top-level object or
 * array being level 1. Deeper is a 400 naming the place; before, 10,000 levels passed validation and
 * overflowed the stack when the hub wrote the object (a 500).
 */

const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const objects = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

/** Levels above the fragment in each route's document: the TAXII envelope, its list and the object (3); the document (1). */
const LEVELS_ABOVE: Readonly<Record<string, number>> = { 'TAXII 2.1 Add Objects': 3, 'hub API submission': 1, 'admin API organization': 1 };

describe.each(testEngines())('JSON nested too deep, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test.each([
      ['10,000 nested arrays', arrays(10_000), '[0]'],
      ['10,000 nested objects', objects(10_000), '.a'],
      ['one level past the limit', arrays(MAX_JSON_DEPTH - (LEVELS_ABOVE[route.name] ?? 0) + 1), '[0]'],
    ])('%s: 400 naming the place, nothing stored', async (_name, fragment, step) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, fragment);
      // The place is the fragment's path followed by its own levels, cut to 100 characters.
      const place = `${route.at}${step.repeat(200)}`.slice(0, 99);
      await expectRefused(hub, route, sent, 'BAD_REQUEST', `The request body is nested more than 100 levels deep (at ${place}…); the hub accepts at most 100 levels`, before);
    });
  });

  test('exactly 100 levels are read: a TAXII object nested to the limit is stored and read back unchanged', async () => {
    const fragment = arrays(MAX_JSON_DEPTH - 3);
    const { res, stored } = await roundTrip(hub, fragment);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(stored).toEqual(JSON.parse(fragment));
  });
});
