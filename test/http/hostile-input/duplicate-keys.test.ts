import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, postTaxii, startHostileHub, storedRows, type HostileHub, indicatorText } from './hostile-hub';

/**
 * A key repeated in one JSON object: JSON.parse keeps the last value silently, so the hub would
 * store something other than what the sender meant (RFC 8259 §4 leaves it undefined; I-JSON
 * forbids it). Refused with 400 naming the key and the object, on every route; nothing stored.
 * The same key in two different objects is no repetition.
 */

const message = (key: string, at: string) => `The request body repeats the key ${JSON.stringify(key)} in the object at ${at}; each key may appear once in an object`;

describe.each(testEngines())('duplicate keys, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe.each(ROUTES)('$name', (route) => {
    test.each([
      ['the same key twice', '{"a": 1, "a": 2}', 'a', ''],
      ['the same key, once escaped', '{"a": 1, "\\u0061": 1}', 'a', ''],
      ['the same key far apart in a large object', `{"dup": 0, ${Array.from({ length: 100 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "dup": 1}`, 'dup', ''],
      ['in an object inside a list', '[{"x": 1}, {"y": 1, "y": 1}]', 'y', '[1]'],
    ])('%s: 400 naming the key and the object, nothing stored', async (_name, fragment, key, below) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, fragment);
      await expectRefused(hub, route, sent, 'BAD_REQUEST', message(key, `${route.at}${below}`), before);
    });
  });

  test('a repeated top-level key of the TAXII envelope is refused too', async () => {
    const before = await storedRows(hub.db);
    const id = 'indicator--6f1b7c2e-0a4d-4a8b-9c3d-2e1f0a9b8c7d';
    const res = await postTaxii(hub, Buffer.concat([Buffer.from('{"objects": [], "objects": ['), indicatorText(id, '1'), Buffer.from(']}')]));
    expect([res.status, res.body]).toEqual([400, expect.objectContaining({ description: message('objects', '(root)') })]);
    expect(await storedRows(hub.db)).toEqual(before);
  });

  test('the same key in sibling and nested objects is no repetition: stored', async () => {
    const route = ROUTES[0];
    if (route === undefined) throw new Error('no TAXII route');
    const sent = await route.send(hub, '[{"a": 1}, {"a": 2, "b": {"a": 3}}]');
    expect(sent.res.status).toBe(202);
    expect(await sent.stored()).toBe(true);
  });
});
