import { randomUUID } from 'node:crypto';
import type { HubError } from '../../src/domain/errors';
import { HUB_EXTENSION_ID } from '../../src/domain/hub-extension';
import { formatMicros } from '../../src/domain/timestamps';
import { markingRefFor } from '../../src/domain/tlp';
import { createCollectionService } from '../../src/services/collection-service';
import { createObjectIngestService, MAX_FAILURE_MESSAGE_LENGTH, MESSAGES, STATUS_PURGE_INTERVAL_MS, type ObjectIngestService, type WriteTarget } from '../../src/services/object-ingest-service';
import { createPolicyService } from '../../src/services/policy-service';
import type { Database } from '../../src/storage/sql/database';
import { SqlObjectStore } from '../../src/storage/sql/sql-object-store';
import { SqlStatusStore } from '../../src/storage/sql/sql-status-store';
import { createStixValidator } from '../../src/validation/stix-validator';
import { createSqlTenancyStore } from '../../src/storage/sql/sql-tenancy-store';
import type { TaxiiStatus } from '../../src/storage/status-store';
import type { TenancyStore } from '../../src/storage/tenancy-store';
import { applyDemoConfig, DEMO_COLLECTIONS } from '../support/demo-config';
import { openTestDatabase, testEngines } from '../support/test-databases';
import { indicator } from '../support/stix-fixtures';
import { principal } from '../support/principals';

const who = principal;
const operator = who('operator', 'hub-ops', ['operator']);
const alice = who('alice', 'acme-hq', ['provider', 'consumer', 'org-admin']);
const bob = who('bob', 'acme-east', ['provider', 'consumer']);

const DAY_MS = 24 * 60 * 60 * 1000;
const validate = createStixValidator();

const redRecipients = (recipients: unknown) => ({ [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: recipients } });

interface Row {
  id: string;
  provider_org_id: string;
  tlp: string;
  recipients: string[];
  object: Record<string, unknown>;
}

async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as HubError).code;
  }
  throw new Error('expected a failure');
}

describe.each(testEngines())('the object ingest service over the demo config on %s', (engine) => {
  let db: Database;
  let store: TenancyStore;
  let statuses: SqlStatusStore;
  let clock = Date.now();
  const newService = (): ObjectIngestService => {
    const policy = createPolicyService({ store });
    const collections = createCollectionService({ store, policy });
    return createObjectIngestService({ collections, policy, apiRoots: store.apiRoots, objects: new SqlObjectStore(db), statuses, validate, now: () => clock });
  };
  let service: ObjectIngestService;
  let bobWrites: WriteTarget;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    store = createSqlTenancyStore(db);
    await applyDemoConfig(store);
    statuses = new SqlStatusStore(db);
    service = newService();
    bobWrites = await service.openWrite(bob, 'demo', 'acme-internal');
  });
  afterAll(() => db.close());

  const rows = async (ids: readonly string[]): Promise<Row[]> =>
    (await db.query<Row>('SELECT id, provider_org_id, tlp, recipients, object FROM stix_objects WHERE collection_id = $1 AND id = ANY($2::text[]) ORDER BY date_added', [DEMO_COLLECTIONS.acmeInternal, ids])).rows;

  test('openWrite gives the collection and its API root max_content_length to an entitled provider', () => {
    expect(bobWrites).toMatchObject({ apiRootId: 'demo', collection: { id: DEMO_COLLECTIONS.acmeInternal }, maxContentLength: 10485760 });
  });

  test('openWrite refuses as the access module decides: 401 anonymous, 403 consumer only, 404 not entitled', async () => {
    expect(await failureCode(service.openWrite(undefined, 'demo', 'acme-internal'))).toBe('AUTHENTICATION_REQUIRED');
    expect(await failureCode(service.openWrite(who('carol', 'acme-west', ['consumer']), 'demo', 'acme-internal'))).toBe('FORBIDDEN');
    expect(await failureCode(service.openWrite(who('grace', 'vandelay', ['consumer']), 'demo', 'acme-internal'))).toBe('NOT_FOUND');
  });

  test('each object stands alone: a failing object stores nothing, the others are stored whole', async () => {
    const good1 = indicator();
    const badTime = indicator({ modified: 'yesterday' });
    const red = indicator({ object_marking_refs: [markingRefFor('red')] });
    const good2 = indicator({ object_marking_refs: [markingRefFor('green')] });
    const status = await service.add(bobWrites, [good1, badTime, red, good2]);

    expect(status.successes.map((d) => d.id)).toEqual([good1.id, good2.id]);
    expect(status.failures).toEqual([
      { id: badTime.id, version: 'yesterday', message: 'modified: must be a STIX timestamp in UTC with at least millisecond precision such as 2026-01-31T12:00:00.000Z' },
      { id: red.id, version: '2026-01-02T00:00:00.000Z', message: MESSAGES.redWithoutRecipients },
    ]);
    const stored = await rows([good1.id, badTime.id, red.id, good2.id] as string[]);
    expect(stored.map((r) => r.id)).toEqual([good1.id, good2.id]);
    // The object as posted, with the collection's default marking written in (it was unmarked), and the hub's metadata next to it.
    expect(stored[0]).toEqual({ id: good1.id, provider_org_id: 'acme-east', tlp: 'amber', recipients: [], object: { ...good1, object_marking_refs: [markingRefFor('amber')] } });
    expect(stored[1]).toMatchObject({ tlp: 'green', object: good2 });
  });

  test('an object failing STIX 2.1 validation names every problem as "path: message", joined with "; "', async () => {
    const bad = indicator({ pattern: "[ipv4-addr:value = '198.51.100.7'", modified: '2025-12-31T23:59:59.999Z' });
    const status = await service.add(bobWrites, [bad]);
    expect(status.failures).toEqual([{
      id: bad.id,
      version: '2025-12-31T23:59:59.999Z',
      message: "modified: must not be earlier than created; pattern: is not a valid STIX pattern: at position 33, expected ']' to close the observation expression opened at 0, found the end of the pattern",
    }]);
    expect(await rows([bad.id as string])).toEqual([]);
  });

  test('a failure names the first 5 problems, then how many more there are', async () => {
    const bad = indicator({
      confidence: 101, revoked: 'yes', lang: 'english!', labels: [], created_by_ref: `indicator--${randomUUID()}`, pattern: undefined, valid_from: undefined,
    });
    const [failure] = (await service.add(bobWrites, [bad])).failures;
    const parts = failure?.message?.split('; ') ?? [];
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 5).every((p) => /^[a-z_]+: /.test(p))).toBe(true);
    expect(parts[5]).toBe('… and 2 more');
  });

  test('a failure message is cut at MAX_FAILURE_MESSAGE_LENGTH characters, however long the paths', async () => {
    const longName = `X_${'a'.repeat(5000)}`;
    const [failure] = (await service.add(bobWrites, [indicator({ [longName]: 1 })])).failures;
    expect(failure?.message).toHaveLength(MAX_FAILURE_MESSAGE_LENGTH);
    expect(failure?.message?.startsWith(`${longName.slice(0, 100)}`)).toBe(true);
    expect(failure?.message?.endsWith('…')).toBe(true);
  });

  test('an SCO may omit spec_version and is stored as 2.1; an SDO without spec_version fails', async () => {
    const sco = { type: 'domain-name', id: `domain-name--${randomUUID()}`, value: 'c2.example.net' };
    const sdo = indicator({ spec_version: undefined });
    const status = await service.add(bobWrites, [sco, sdo]);
    expect(status.successes.map((d) => d.id)).toEqual([sco.id]);
    expect(status.failures).toEqual([{ id: sdo.id, version: '2026-01-02T00:00:00.000Z', message: 'spec_version: is required' }]);
    const stored = await db.query<{ spec_version: string }>('SELECT spec_version FROM stix_objects WHERE id = $1', [sco.id]);
    expect(stored.rows).toEqual([{ spec_version: '2.1' }]);
  });

  test('a version timestamp STIX allows but the hub cannot keep in microseconds (a leap second) fails, naming the field', async () => {
    const leap = indicator({ created: '2016-12-31T00:00:00.000Z', modified: '2016-12-31T23:59:60.000Z', valid_from: '2016-12-31T00:00:00Z' });
    const status = await service.add(bobWrites, [leap]);
    expect(status.failures).toEqual([{ id: leap.id, version: '2016-12-31T23:59:60.000Z', message: expect.stringMatching(/^modified: cannot be kept as a version/) }]);
  });

  test('a RED object is stored with the recipients its hub extension names; recipients on other objects are ignored', async () => {
    const red = indicator({ object_marking_refs: [markingRefFor('red')], extensions: redRecipients(['acme-west', 'acme-hq', 'acme-west']) });
    const amber = indicator({ extensions: redRecipients(['acme-west']) });
    const status = await service.add(bobWrites, [red, amber]);
    expect(status.failures).toEqual([]);
    expect((await rows([red.id as string, amber.id as string])).map((r) => [r.tlp, r.recipients])).toEqual([
      ['red', ['acme-hq', 'acme-west']],
      ['amber', []],
    ]);
  });

  test('a malformed hub extension fails the object, naming the field', async () => {
    const status = await service.add(bobWrites, [indicator({ extensions: redRecipients('acme-west') })]);
    expect(status.failures[0]?.message).toBe(`extensions["${HUB_EXTENSION_ID}"].red_recipients must be a non-empty list of organization ids`);
  });

  test('an id has one provider in a collection: another organization cannot add versions of it', async () => {
    const original = indicator();
    await service.add(bobWrites, [original]);
    const newer = { ...original, modified: '2026-02-01T00:00:00.000Z', name: 'taken over' };
    const status = await service.add(await service.openWrite(alice, 'demo', 'acme-internal'), [newer]);
    expect(status.failures).toEqual([{ id: original.id, version: '2026-02-01T00:00:00.000Z', message: MESSAGES.providedByAnother }]);
    expect((await rows([original.id as string])).map((r) => r.object.name)).toEqual(['a bad address']);
  });

  test('two organizations posting the same new id at once: exactly one becomes its provider', async () => {
    const contested = indicator();
    const aliceWrites = await service.openWrite(alice, 'demo', 'acme-internal');
    const [a, b] = await Promise.all([service.add(aliceWrites, [contested]), service.add(bobWrites, [{ ...contested, modified: '2026-03-01T00:00:00.000Z' }])]);
    expect([a?.successes.length, b?.successes.length].sort()).toEqual([0, 1]);
    expect(await rows([contested.id as string])).toHaveLength(1);
  });

  test('the provider is the posting organization, operators included', async () => {
    const object = indicator({ created_by_ref: 'identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' });
    await service.add(await service.openWrite(operator, 'demo', 'acme-internal'), [object]);
    expect((await rows([object.id as string]))[0]?.provider_org_id).toBe('hub-ops');
  });

  test('an object without created/modified has one version: reposted it is already present, changed it fails', async () => {
    const sco = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: '198.51.100.9' };
    const first = await service.add(bobWrites, [sco]);
    const [stored] = (await db.query<{ date_added: string }>('SELECT date_added FROM stix_objects WHERE id = $1', [sco.id])).rows;
    const version = formatMicros(Number(stored?.date_added));
    expect(first.successes).toEqual([{ id: sco.id, version }]);

    const again = await service.add(bobWrites, [sco, { ...sco, value: '198.51.100.10' }]);
    expect(again.successes).toEqual([{ id: sco.id, version, message: MESSAGES.alreadyPresent }]);
    expect(again.failures).toEqual([{ id: sco.id, version, message: MESSAGES.unversionedChange }]);
  });

  test('statuses belong to the posting organization: others are told they do not exist, operators read all', async () => {
    const posted = await service.add(bobWrites, [indicator()]);
    expect(await service.status(bob, 'demo', posted.id)).toEqual(posted);
    expect(await service.status(operator, 'demo', posted.id)).toEqual(posted);
    expect(await failureCode(service.status(alice, 'demo', posted.id))).toBe('NOT_FOUND');
    expect(await failureCode(service.status(bob, 'other-root', posted.id))).toBe('NOT_FOUND');
    expect(await failureCode(service.status(bob, 'demo', randomUUID()))).toBe('NOT_FOUND');
    expect(await failureCode(service.status(bob, 'demo', 'not-a-uuid'))).toBe('NOT_FOUND');
  });

  test('statuses completed more than 7 days ago are purged on a POST, at most once an hour', async () => {
    const hourly = newService(); // its own purge schedule
    const t0 = clock;
    const completedDaysAgo = async (days: number): Promise<TaxiiStatus> => {
      const at = (t0 - days * DAY_MS) * 1000;
      const status: TaxiiStatus = {
        id: randomUUID(), apiRootId: 'demo', collectionId: DEMO_COLLECTIONS.acmeInternal, organizationId: 'acme-east',
        requestTimestamp: at, completedAt: at, status: 'complete', successes: [], failures: [], pendings: [],
      };
      await statuses.insert(status);
      return status;
    };
    const exists = async (s: TaxiiStatus) => (await statuses.get('demo', s.id)) !== undefined;

    const old1 = await completedDaysAgo(8);
    const recent = await completedDaysAgo(6);
    await hourly.add(bobWrites, [indicator()]);
    expect([await exists(old1), await exists(recent)]).toEqual([false, true]);

    const old2 = await completedDaysAgo(8);
    clock = t0 + STATUS_PURGE_INTERVAL_MS / 2;
    await hourly.add(bobWrites, [indicator()]);
    expect(await exists(old2)).toBe(true);

    clock = t0 + STATUS_PURGE_INTERVAL_MS + 1;
    await hourly.add(bobWrites, [indicator()]);
    expect([await exists(old2), await exists(recent)]).toEqual([false, true]);
  });
});
