import type { HubError } from '../../src/domain/errors';
import { createCollectionService, type CollectionService } from '../../src/services/collection-service';
import { createPolicyService } from '../../src/services/policy-service';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../src/storage/tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { principal } from '../support/principals';

const who = principal;

// The demo users (collections/README.md).
const operator = who('operator', 'hub-ops', ['operator']);
const alice = who('alice', 'acme-hq', ['provider', 'consumer', 'org-admin']);
const bob = who('bob', 'acme-east', ['provider', 'consumer']);
const carol = who('carol', 'acme-west', ['consumer']);
const grace = who('grace', 'vandelay', ['consumer']);
const heidi = who('heidi', 'vandelay', ['provider', 'org-admin']);

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as HubError).code;
  }
  throw new Error('expected a failure');
}

describe.each(testEngines())('the collection service over the demo config on %s', (engine) => {
  let db: Database;
  let collections: CollectionService;
  let store: TenancyStore;
  let clock = 1_000_000;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
    await applyDemoConfig(store);
    collections = createCollectionService({ store, policy: createPolicyService({ store }), now: () => clock });
  });
  afterAll(() => db.close());

  describe('resolveForAction: the gate of every objects endpoint', () => {
    test('a consumer reading its group collection gets the scope that filters the store query', async () => {
      const resolved = await collections.resolveForAction(carol, 'demo', 'acme-internal', 'read');
      expect(resolved.collection.id).toBe(DEMO_COLLECTIONS.acmeInternal);
      expect(resolved.rule).toBe('group-member');
      // A branch reads AMBER from its ancestor only, never from its sibling acme-east.
      expect(resolved.scope).toMatchObject({ kind: 'filtered', self: 'acme-west', amberProviders: ['acme-hq'], defaultMarking: 'amber' });
    });

    test('the collection may be named by id or by alias', async () => {
      const byId = await collections.resolveForAction(bob, 'demo', DEMO_COLLECTIONS.acmeInternal, 'write');
      const byAlias = await collections.resolveForAction(bob, 'demo', 'acme-internal', 'write');
      expect(byAlias).toEqual(byId);
      expect(byId).toEqual({ collection: expect.objectContaining({ id: DEMO_COLLECTIONS.acmeInternal }), rule: 'group-member' });
    });

    test('a consumer without the provider role may not write: 403', async () => {
      expect(await failure(collections.resolveForAction(carol, 'demo', 'acme-internal', 'write'))).toBe('FORBIDDEN');
    });

    test('a provider without the consumer role may not read: 403', async () => {
      expect(await failure(collections.resolveForAction(heidi, 'demo', 'isac-feed', 'read'))).toBe('FORBIDDEN');
      await expect(collections.resolveForAction(heidi, 'demo', 'isac-feed', 'write')).resolves.toMatchObject({ rule: 'group-member' });
    });

    test('members of an organization-owned collection\'s community read it but never write to it', async () => {
      await expect(collections.resolveForAction(alice, 'demo', 'initech-feed', 'read')).resolves.toMatchObject({ rule: 'owner-community' });
      expect(await failure(collections.resolveForAction(alice, 'demo', 'initech-feed', 'write'))).toBe('FORBIDDEN');
    });

    test('another group\'s collection does not exist for the principal: 404, as for an unknown one', async () => {
      expect(await failure(collections.resolveForAction(grace, 'demo', 'acme-internal', 'read'))).toBe('NOT_FOUND');
      expect(await failure(collections.resolveForAction(grace, 'demo', 'acme-internal', 'write'))).toBe('NOT_FOUND');
      expect(await failure(collections.resolveForAction(grace, 'demo', 'no-such-collection', 'read'))).toBe('NOT_FOUND');
    });

    test('a collection is found only under its own API root', async () => {
      expect(await failure(collections.resolveForAction(operator, 'elsewhere', 'acme-internal', 'read'))).toBe('NOT_FOUND');
    });

    test('no principal: 401, whatever the collection', async () => {
      expect(await failure(collections.resolveForAction(undefined, 'demo', 'acme-internal', 'read'))).toBe('AUTHENTICATION_REQUIRED');
      expect(await failure(collections.resolveForAction(undefined, 'demo', 'no-such-collection', 'write'))).toBe('AUTHENTICATION_REQUIRED');
    });

    test('an operator reads everything, and that is audited once per collection and hour', async () => {
      const reads = () => store.audit.list({ entityType: 'collection', entityId: DEMO_COLLECTIONS.initechPrivate, limit: 100 });
      const before = (await reads()).length;
      const resolved = await collections.resolveForAction(operator, 'demo', 'initech-feed', 'read');
      expect(resolved).toMatchObject({ rule: 'operator', scope: { kind: 'all' } });
      await collections.resolveForAction(operator, 'demo', 'initech-feed', 'read');
      const audited = (await reads()).slice(before);
      expect(audited.map((e) => [e.action, e.actor])).toEqual([['collection.operator-read', 'operator']]);

      clock += 60 * 60 * 1000;
      await collections.resolveForAction(operator, 'demo', 'initech-feed', 'read');
      expect((await reads()).length).toBe(before + 2);
    });
  });

  test('an unknown API root has no collections list: 404', async () => {
    expect(await failure(collections.list(carol, 'elsewhere'))).toBe('NOT_FOUND');
  });
});
