import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/domain/principal';
import type { Collection } from '../../src/domain/tenancy';
import { createAdminService } from '../../src/services/admin';
import { createPolicyService, PolicyUnavailableError, type PolicyLogger, type PolicyService } from '../../src/services/policy-service';
import type { Database } from '../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import type { PolicySource } from '../../src/services/policy-service';
import type { TenancyStore } from '../../src/storage/tenancy-store';
import { openTestDatabase, testEngines } from '../support/test-databases';

const operator: Principal = { userId: 'u-root', username: 'root', organizationId: 'hub', roles: new Set(['operator']), via: 'basic' };

const RECHECK_MS = 1000;

/** A clock that moves only when the test says so. */
function manualClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** The store, counting how often the policy's inputs are read (each read is one compile). */
function countingSource(store: TenancyStore) {
  const counts = { revisionChecks: 0, compiles: 0 };
  const source: PolicySource = {
    policyRevision: () => {
      counts.revisionChecks += 1;
      return store.policyRevision();
    },
    policySnapshot: () => {
      counts.compiles += 1;
      return store.policySnapshot();
    },
  };
  return { source, counts };
}

function recordingLogger() {
  const errors: { details: object; message: string }[] = [];
  const logger: PolicyLogger = { error: (details, message) => void errors.push({ details, message }), info: () => {} };
  return { logger, errors };
}

const collection = (id: string, owner: string): Collection => ({
  id,
  apiRootId: 'root',
  alias: null,
  title: `collection ${id}`,
  description: null,
  owner: { kind: 'trust-group', id: owner },
  defaultMarking: 'amber',
  unmarked: 'default',
  attribution: 'attributed',
  managedBy: 'admin',
});

describe.each(testEngines())('the policy service on %s', (engine) => {
  let db: Database;
  let store: TenancyStore;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
    for (const id of ['hub', 'acme', 'globex', 'initech']) await store.organizations.insert({ id, name: id, parentId: null, managedBy: 'admin' });
    await store.trustGroups.insert({ id: 'peers', name: 'Peers', topology: 'horizontal', members: ['acme', 'globex'], tree: {}, peerLinks: [], attribution: 'attributed', managedBy: 'admin' });
    await store.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1024, managedBy: 'admin' });
  });
  afterAll(() => db.close());

  test('the stored revision rises with every change to the tables the policy reads, and not with others', async () => {
    const before = await store.policyRevision();
    await store.organizations.insert({ id: 'tmp-org', name: 'Temporary', parentId: null, managedBy: 'admin' });
    const afterOrganization = await store.policyRevision();
    expect(afterOrganization).toBeGreaterThan(before);
    await store.users.insert({ id: randomUUID(), username: `user-${randomUUID()}`, organizationId: 'tmp-org', roles: ['consumer'], disabled: false, managedBy: 'admin' });
    expect(await store.policyRevision()).toBe(afterOrganization);
  });

  test('a change through the admin service is visible on the next current(), however recently the revision was checked', async () => {
    const clock = manualClock();
    const policy = createPolicyService({ store, recheckMs: RECHECK_MS, now: clock.now });
    const admin = createAdminService({ store, policy });
    const first = await policy.current();
    const created = await admin.collections.create(operator, { apiRootId: 'root', alias: null, title: 'Shared', description: null, owner: { kind: 'trust-group', id: 'peers' } });
    expect(first.collections.has(created.id)).toBe(false);
    expect((await policy.current()).collections.has(created.id)).toBe(true);

    await admin.collections.remove(operator, created.id);
    expect((await policy.current()).collections.has(created.id)).toBe(false);
  });

  test('a change made by another process on the same database is picked up once recheckMs has passed', async () => {
    const clock = manualClock();
    const policy = createPolicyService({ store, recheckMs: RECHECK_MS, now: clock.now });
    await policy.current();
    const otherProcess = createSqlTenancyStore(db);
    const id = randomUUID();
    await otherProcess.collections.insert(collection(id, 'peers'));

    clock.advance(RECHECK_MS - 1);
    expect((await policy.current()).collections.has(id)).toBe(false);
    clock.advance(1);
    expect((await policy.current()).collections.has(id)).toBe(true);
    await otherProcess.collections.delete(id);
  });

  test('within recheckMs the stored revision is not asked again; after it, an unchanged revision is not recompiled', async () => {
    const clock = manualClock();
    const { source, counts } = countingSource(store);
    const policy = createPolicyService({ store: source, recheckMs: RECHECK_MS, now: clock.now });
    const first = await policy.current();
    await policy.current();
    await policy.current();
    expect(counts).toEqual({ revisionChecks: 1, compiles: 1 });
    clock.advance(RECHECK_MS);
    expect(await policy.current()).toBe(first);
    expect(counts).toEqual({ revisionChecks: 2, compiles: 1 });
  });

  test('concurrent callers share one compile', async () => {
    const { source, counts } = countingSource(store);
    const policy = createPolicyService({ store: source, now: manualClock().now });
    const policies = await Promise.all(Array.from({ length: 20 }, () => policy.current()));
    expect(new Set(policies).size).toBe(1);
    expect(counts).toEqual({ revisionChecks: 1, compiles: 1 });
  });

  test('an invalidate() arriving while a check runs makes the next caller check again, and the newer policy wins', async () => {
    // The first check reads its snapshot, then stalls until released: the change lands after that read.
    let snapshotRead!: () => void;
    const read = new Promise<void>((resolve) => (snapshotRead = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stalls = 1;
    const source: PolicySource = {
      policyRevision: () => store.policyRevision(),
      policySnapshot: async () => {
        const snapshot = await store.policySnapshot();
        if (stalls-- > 0) {
          snapshotRead();
          await gate;
        }
        return snapshot;
      },
    };
    const policy = createPolicyService({ store: source, recheckMs: RECHECK_MS, now: manualClock().now });
    const id = randomUUID();
    const during = policy.current();
    await read;
    await store.collections.insert(collection(id, 'peers'));
    policy.invalidate();
    const after = await policy.current();
    release();
    expect(after.collections.has(id)).toBe(true);
    // The stalled check finishes last with an older revision: it does not replace the newer policy.
    expect(await during).toBe(after);
    expect(await policy.current()).toBe(after);
    await store.collections.delete(id);
  });

  describe('a stored state that does not compile (e.g. a manual edit of the database)', () => {
    let policy: PolicyService;
    let clock: ReturnType<typeof manualClock>;
    let errors: { details: object; message: string }[];

    beforeEach(async () => {
      clock = manualClock();
      const recorded = recordingLogger();
      errors = recorded.errors;
      policy = createPolicyService({ store, recheckMs: RECHECK_MS, now: clock.now, logger: recorded.logger });
    });
    afterEach(async () => {
      await store.trustGroups.delete('loop');
    });

    // Written straight to the table: the admin API and the config loader both refuse it.
    const loop = () =>
      store.trustGroups.insert({ id: 'loop', name: 'Loop', topology: 'vertical', members: ['acme', 'globex'], tree: { acme: ['globex'], globex: ['acme'] }, peerLinks: [], attribution: 'attributed', managedBy: 'admin' });

    test('keeps serving the last good policy, logs an error naming the problems, and reports them', async () => {
      const good = await policy.current();
      await loop();
      clock.advance(RECHECK_MS);
      expect(await policy.current()).toBe(good);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(/does not compile/);
      const status = policy.status();
      expect(status).toMatchObject({ state: 'invalid', servedRevision: expect.any(Number) });
      expect(status.state === 'invalid' && status.problems.some((p) => p.path.startsWith('trust_groups[loop]'))).toBe(true);

      clock.advance(RECHECK_MS);
      await policy.current();
      expect(errors).toHaveLength(1); // the same broken revision is not compiled and logged again

      await store.trustGroups.delete('loop');
      clock.advance(RECHECK_MS);
      expect((await policy.current()).collections).toBeDefined();
      expect(policy.status()).toEqual({ state: 'current', revision: await store.policyRevision() });
    });

    test('with no earlier policy to fall back on, current() fails with the problems', async () => {
      await loop();
      const failure = await policy.current().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PolicyUnavailableError);
      expect((failure as PolicyUnavailableError).problems.length).toBeGreaterThan(0);
      expect(policy.status()).toMatchObject({ state: 'invalid', servedRevision: undefined });
    });
  });
});
