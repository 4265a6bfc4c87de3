import { randomUUID } from 'node:crypto';
import { NON_FINITE_NUMBER_MESSAGE } from '../../../src/validation/finite-numbers';
import { testEngines } from '../../support/test-databases';
import { ROUTES, expectRefused, indicatorText, postTaxii, readTaxiiObject, roundTrip, startHostileHub, storedRows, type HostileHub } from './hostile-hub';

/**
 * Numbers beyond a double: JSON.parse reads 1e999999 and a 5,000-digit integer as Infinity, which
 * JSON.stringify and jsonb write as null (before, such objects were stored and served back with
 * null). Over TAXII the object fails on its own, its status naming the property, and the others in
 * the request are stored; on the hub and admin APIs the request is a 400 naming the place.
 */

const HUGE = [
  ['1e999999', '1e999999', ''],
  ['-1e999999', '-1e999999', ''],
  ['a 5,000-digit integer', '9'.repeat(5000), ''],
  ['a negative 5,000-digit integer', `-${'9'.repeat(5000)}`, ''],
  ['one just past the largest double', '1.8e308', ''],
  ['one inside a list', '[1, 2, 1e400]', '[2]'],
  ['one inside an object', '{"size": {"bytes": 1E+400}}', '.size.bytes'],
] as const;

describe.each(testEngines())('numbers beyond a double, on %s', (engine) => {
  let hub: HostileHub;
  beforeAll(async () => {
    hub = await startHostileHub(engine);
  });
  afterAll(() => hub.close());

  describe('TAXII 2.1 Add Objects: the object fails on its own, naming the property; the others are stored', () => {
    test.each(HUGE)('%s', async (_name, fragment, below) => {
      const bad = `indicator--${randomUUID()}`;
      const good = `indicator--${randomUUID()}`;
      const res = await postTaxii(hub, Buffer.concat([Buffer.from('{"objects":['), indicatorText(bad, fragment), Buffer.from(','), indicatorText(good, '1e308'), Buffer.from(']}')]));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        success_count: 1,
        failure_count: 1,
        successes: [{ id: good }],
        failures: [{ id: bad, version: '2026-01-01T00:00:00.000Z', message: `x_hostile${below}: ${NON_FINITE_NUMBER_MESSAGE}` }],
      });
      expect(await readTaxiiObject(hub, bad)).toBeUndefined();
      expect((await readTaxiiObject(hub, good))?.x_hostile).toBe(1e308);
    });
  });

  describe.each(ROUTES.filter((r) => r.form === 'json'))('$name: 400 naming the place, nothing stored', (route) => {
    test.each(HUGE)('%s', async (_name, fragment, below) => {
      const before = await storedRows(hub.db);
      const sent = await route.send(hub, fragment);
      const path = `${route.at}${below}`;
      await expectRefused(hub, route, sent, 'VALIDATION_FAILED', `${path}: ${NON_FINITE_NUMBER_MESSAGE}`, before, [{ path, message: NON_FINITE_NUMBER_MESSAGE }]);
    });
  });

  test.each([
    ['the largest double', '1.7976931348623157e308', 1.7976931348623157e308],
    ['the smallest', '-1.7976931348623157e308', -1.7976931348623157e308],
    ['the smallest positive subnormal', '5e-324', 5e-324],
    ['the largest safe integer', '9007199254740991', 9007199254740991],
  ])('%s is stored and read back as sent', async (_name, fragment, value) => {
    const { res, stored } = await roundTrip(hub, fragment);
    expect(res.status).toBe(202);
    expect(stored).toBe(value);
  });
});
