import { randomUUID } from 'node:crypto';
import { HubError } from '../../../src/domain/errors';
import type { Principal } from '../../../src/domain/principal';
import type { TlpLevel } from '../../../src/domain/tenancy';
import { createCollectionService } from '../../../src/services/collection-service';
import { createPolicyService, type PolicyService } from '../../../src/services/policy-service';
import { hubIdentityOf, type HubIdentity } from '../../../src/services/sharing/hub-identity';
import type { BlockInput, BlockRenderer } from '../../../src/services/taxii11/poll-blocks';
import { createTaxii11PollService, type PollPart, type Taxii11PollService, type Taxii11PollServiceDeps } from '../../../src/services/taxii11/poll-service';
import { createTaxii11Collections, type Taxii11Collections } from '../../../src/services/taxii11/taxii11-collections';
import type { NewObjectVersion } from '../../../src/storage/object-store';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { SqlFeedStore } from '../../../src/storage/sql/sql-feed-store';
import { SqlObjectStore } from '../../../src/storage/sql/sql-object-store';
import { SqlResultSetStore } from '../../../src/storage/sql/sql-result-set-store';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import type { TenancyStore } from '../../../src/storage/tenancy-store';
import { applyDemoConfig } from '../../support/demo-config';
import { principal } from '../../support/principals';
import { openTestDatabase } from '../../support/test-databases';

/**
 * A hub on the demo configuration (collections/README.md) for the TAXII 1.1 service tests: the real
 * stores on a test database, the real policy and collection services, and a fake block renderer (a
 * function standing in for the STIX 1.2 bridge) whose XML says what it was given.
 *
 *   acme-tree (vertical): acme-hq ─┬─ acme-east      acme-internal, default AMBER
 *                                  └─ acme-west
 *   finance-isac (horizontal, attribution hidden): acme-hq, globex-hq, initech, vandelay   isac-feed
 */
export const who = {
  alice: principal('alice', 'acme-hq', ['provider', 'consumer', 'org-admin']),
  alice2: principal('alice2', 'acme-hq', ['consumer']),
  bob: principal('bob', 'acme-east', ['provider', 'consumer']),
  carol: principal('carol', 'acme-west', ['consumer']),
  frank: principal('frank', 'initech', ['provider', 'consumer', 'org-admin']),
  grace: principal('grace', 'vandelay', ['consumer']),
  heidi: principal('heidi', 'vandelay', ['provider', 'org-admin']),
  operator: principal('operator', 'hub-ops', ['operator']),
} satisfies Record<string, Principal>;

export const COLLECTIONS = {
  acme: { id: '948f89cd-d3ab-4b2e-bb60-bdffe702b793', name: 'acme-internal' },
  isac: { id: '735988d1-ca7e-4645-96dd-38a00e72e2f4', name: 'isac-feed' },
  initech: { id: '71c9a6ae-b2d5-4a7d-a4d7-5aeaf89c76e1', name: 'initech-feed' },
} as const;

export const HUB_NAME = 'taxii-hub test';

/** What the fake renderer put into a block. */
export interface FakeBlock {
  readonly id: string;
  readonly source: string;
  readonly sourceId: string;
  readonly campaigns: string;
  readonly binding: string;
}

/**
 * The fake bridge: `<fake .../>` naming the record's id, its source and campaigns. An indicator named
 * `unmappable` does not map (undefined); one named `throws` makes the renderer throw.
 */
export const fakeRenderer: BlockRenderer = (input: BlockInput) => {
  if (input.object.name === 'unmappable') return undefined;
  if (input.object.name === 'throws') throw new Error('the fake bridge fails on this one');
  const attributes = {
    id: input.record.id,
    source: input.source.name,
    sourceId: input.source.identityId ?? '',
    campaigns: input.campaigns.map((c) => c.name).join(','),
    binding: input.bindingId,
  };
  return { contentXml: `<fake ${Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ')}/>` };
};

export function readFake(contentXml: string): FakeBlock {
  const attributes = Object.fromEntries([...contentXml.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return attributes as unknown as FakeBlock;
}

/** The ids of the records in a part's blocks, in order. */
export const blockIds = (part: PollPart): string[] => part.blocks.map((b) => readFake(b.contentXml).id);

/** The HubError `promise` is rejected with (anything else fails the test). */
export async function failure(promise: Promise<unknown>): Promise<HubError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof HubError)) throw new Error(`expected a HubError, got ${String(outcome)}`);
  return outcome;
}

export interface PollTestHub {
  readonly db: Database;
  readonly store: TenancyStore;
  readonly policy: PolicyService;
  readonly objects: SqlObjectStore;
  readonly feed: SqlFeedStore;
  readonly hubIdentity: HubIdentity;
  readonly collections: Taxii11Collections;
  /** Records that did not map, as onUnmapped was told. */
  readonly unmapped: number[];
  /** A poll service over this hub; `overrides` replace its dependencies (part size, clock…). */
  pollService(overrides?: Partial<Taxii11PollServiceDeps>): Taxii11PollService;
  /** Appends `versions` in one transaction; answers their labels. */
  write(collectionId: string, versions: readonly NewObjectVersion[]): Promise<number[]>;
  close(): Promise<void>;
}

export async function openPollTestHub(engine: EngineName, options: { readonly now?: () => number } = {}): Promise<PollTestHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  await applyDemoConfig(store);
  const policy = createPolicyService({ store, recheckMs: 0 });
  const objects = new SqlObjectStore(db);
  const feed = new SqlFeedStore(db);
  const hubIdentity = hubIdentityOf(objects);
  const collections = createTaxii11Collections({ collections: createCollectionService({ store, policy }), policy, feed, ...(options.now ? { now: options.now } : {}) });
  const unmapped: number[] = [];
  const resultSets = new SqlResultSetStore(db);
  return {
    db,
    store,
    policy,
    objects,
    feed,
    hubIdentity,
    collections,
    unmapped,
    pollService: (overrides = {}) =>
      createTaxii11PollService({
        collections,
        feed,
        resultSets,
        policy,
        organizations: store.organizations,
        hubIdentity,
        hubName: HUB_NAME,
        renderBlock: fakeRenderer,
        onUnmapped: (count) => unmapped.push(count),
        ...overrides,
      }),
    async write(collectionId, versions) {
      const outcomes = await objects.append(collectionId, versions, Date.now() * 1000);
      return outcomes.map((o) => {
        if (o.kind !== 'added') throw new Error(`not added: ${JSON.stringify(o)}`);
        return o.dateAdded;
      });
    },
    close: () => db.close(),
  };
}

let serial = 0;

/** A version of an indicator (a new one unless `id` is given), provided by `provider` with marking `tlp`. */
export function indicator(provider: string, tlp: TlpLevel, options: { id?: string; name?: string; recipients?: string[]; createdByRef?: string; revoked?: boolean } = {}): NewObjectVersion {
  const id = options.id ?? `indicator--${randomUUID()}`;
  const version = 1_700_000_000_000_000 + ++serial * 1000;
  const modified = new Date(version / 1000).toISOString();
  return {
    id,
    type: 'indicator',
    specVersion: '2.1',
    version,
    providerOrgId: provider,
    tlp,
    recipients: options.recipients ?? [],
    object: {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2023-11-14T22:13:20.000Z',
      modified,
      name: options.name ?? `indicator ${serial}`,
      pattern: "[ipv4-addr:value = '10.0.0.1']",
      pattern_type: 'stix',
      valid_from: '2023-11-14T22:13:20.000Z',
      ...(options.createdByRef === undefined ? {} : { created_by_ref: options.createdByRef }),
      ...(options.revoked ? { revoked: true } : {}),
    },
  };
}

/** Another STIX object (campaign, relationship…) stored next to the indicators. */
export function stixObject(type: string, provider: string, tlp: TlpLevel, properties: Record<string, unknown>): NewObjectVersion {
  const id = `${type}--${randomUUID()}`;
  return {
    id,
    type,
    specVersion: '2.1',
    version: 1_700_000_000_000_000,
    providerOrgId: provider,
    tlp,
    recipients: [],
    object: { type, spec_version: '2.1', id, created: '2023-11-14T22:13:20.000Z', modified: '2023-11-14T22:13:20.000Z', ...properties },
  };
}
