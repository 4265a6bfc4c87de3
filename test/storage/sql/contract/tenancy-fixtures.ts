import { randomUUID } from 'node:crypto';
import { HubError, type ErrorCode } from '../../../../src/domain/errors';
import type { ApiKey, ApiRoot, Collection, Organization, TrustGroup, User } from '../../../../src/domain/tenancy';
import type { TenancyStore } from '../../../../src/storage/tenancy-store';

/**
 * Entities with fresh ids for each test, so tests share one database without cleaning it: every
 * test only looks at what it created.
 */

let counter = 0;
const run = randomUUID().slice(0, 8);

/** A slug no other test uses, e.g. 'org-3-1a2b3c4d'. */
export function freshSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${run}`;
}

export function anOrganization(overrides: Partial<Organization> = {}): Organization {
  return { id: freshSlug('org'), name: 'Acme CERT', parentId: null, managedBy: 'admin', ...overrides };
}

export function aUser(organizationId: string, overrides: Partial<User> = {}): User {
  return {
    id: randomUUID(),
    username: freshSlug('user'),
    organizationId,
    roles: ['consumer', 'provider'],
    disabled: false,
    managedBy: 'admin',
    ...overrides,
  };
}

export function anApiKey(userId: string, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: freshSlug('key'),
    userId,
    name: 'sensor feed',
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    expiresAt: new Date('2027-01-02T03:04:05.678Z'),
    revokedAt: null,
    ...overrides,
  };
}

export function anApiRoot(overrides: Partial<ApiRoot> = {}): ApiRoot {
  return { id: freshSlug('root'), title: 'Sharing', description: 'the main API root', maxContentLength: 10_485_760, managedBy: 'config', ...overrides };
}

export function aCollection(apiRootId: string, owner: Collection['owner'], overrides: Partial<Collection> = {}): Collection {
  return {
    id: randomUUID(),
    apiRootId,
    alias: freshSlug('alias'),
    title: 'Indicators',
    description: null,
    owner,
    defaultMarking: 'amber',
    unmarked: 'default',
    attribution: 'attributed',
    managedBy: 'config',
    ...overrides,
  };
}

export function aTrustGroup(members: readonly string[], overrides: Partial<TrustGroup> = {}): TrustGroup {
  return { id: freshSlug('group'), name: 'Finance ISAC', topology: 'horizontal', members, tree: {}, peerLinks: [], attribution: 'attributed', managedBy: 'config', ...overrides };
}

/** Stores `count` fresh organizations and returns them. */
export async function storedOrganizations(store: TenancyStore, count: number): Promise<Organization[]> {
  const orgs = Array.from({ length: count }, () => anOrganization());
  for (const org of orgs) await store.organizations.insert(org);
  return orgs;
}

/** Expects `promise` to reject with a HubError of `code` whose message contains `text`. */
export async function expectHubError(promise: Promise<unknown>, code: ErrorCode, text: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  expect(error).toMatchObject({ code, message: expect.stringContaining(text) });
}
