import { HUB_DEFINITION_KEPT, isHubDefinitionId } from '../domain/sharing/tlp-marking-definitions';
import { decide, lookUpCollection, type CompiledPolicy, type ReadScope } from '../access';
import { canonicalJson } from '../domain/canonical-json';
import { actorName, hasRole, isOperator, type Principal } from '../domain/principal';
import { hubError, isHubError } from '../domain/errors';
import { ALL_VERSIONS, DEFAULT_PAGE_LIMIT, LATEST_VERSION, effectiveVersion, type ObjectQueryParameters } from '../domain/object-filters';
import type { Collection } from '../domain/tenancy';
import { formatMicros } from '../domain/timestamps';
import type { DeletedVersion, ManifestEntry, ObjectEntry, ObjectPageSelection, ObjectStore, SelectedPage } from '../storage/object-store';
import { accessDenied, enforceDecision, notFoundError } from './access-errors';
import type { CollectionService } from './collection-service';
import type { NextTokenCodec, PageCursor, PageFilters, PagedEndpoint } from './next-token';
import type { PolicyService } from './policy-service';
import type { PollRecorder } from './poll-marks/poll-recorder';
import { hubIdentityOf, type HubIdentity } from './sharing/hub-identity';

/**
 * The use cases behind TAXII 2.1 Get Objects (§5.4), Get an Object (§5.6), Delete an Object (§5.7),
 * Get Object Versions (§5.8) and Get Object Manifests (§5.3).
 *
 * Every call starts at the collection gate (401/404/403 from the access module); the store then
 * answers with the access filter inside its query, so a consumer never sees, counts or pages over
 * a version it may not read. One exception: DELETE of versions the principal's own organization
 * provides, which it may delete whatever its membership (ownObjectGate). Defaults (§3.4.1):
 * match[version] = last, match[spec_version] = the latest spec version of each object, applied
 * first (cti-taxii2#114); DELETE without filters removes every version.
 */

/** One page; `next` is present exactly when `more` is true. */
export interface ReadPage<T> {
  readonly entries: readonly T[];
  readonly more: boolean;
  readonly next?: string;
}

export type DeleteParameters = Pick<ObjectQueryParameters, 'versions' | 'specVersions'>;

export interface ObjectReadService {
  getObjects(who: Principal | undefined, apiRootId: string, collection: string, params: ObjectQueryParameters): Promise<ReadPage<ObjectEntry>>;
  /** NOT_FOUND unless the client may read at least one version of the object; an empty page when the filters exclude them all. */
  getObject(who: Principal | undefined, apiRootId: string, collection: string, objectId: string, params: ObjectQueryParameters): Promise<ReadPage<ObjectEntry>>;
  /** The object's versions, oldest (first added) first; NOT_FOUND as getObject. */
  getVersions(who: Principal | undefined, apiRootId: string, collection: string, objectId: string, params: ObjectQueryParameters): Promise<ReadPage<ManifestEntry>>;
  getManifest(who: Principal | undefined, apiRootId: string, collection: string, params: ObjectQueryParameters): Promise<ReadPage<ManifestEntry>>;
  /**
   * Deletes the object's versions the filters select (all without filters) and audits it.
   * The provider organization deletes its own versions whatever its membership or write entitlement
   * (FORBIDDEN without both the provider and consumer roles). Anyone else: NOT_FOUND when the client
   * cannot read the object or no version matches; FORBIDDEN when it may read it but is neither its
   * provider nor an operator, or cannot both read and write the collection.
   */
  deleteObject(who: Principal | undefined, apiRootId: string, collection: string, objectId: string, params: DeleteParameters): Promise<DeletedVersion[]>;
}

export interface ObjectReadServiceDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly objects: Pick<ObjectStore, 'selectObjects' | 'selectManifest' | 'readableVersionFacts' | 'deleteVersions' | 'hubIdentityId'>;
  /** The hub's identity (one per hub, shared by the services); from `objects` when not given. */
  readonly hubIdentity?: HubIdentity;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly nextTokens: NextTokenCodec;
  /** Told of every answered Get Objects and Get Object Manifests page (issue 16: last poll and lag). */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

type FilterField = keyof PageFilters;
const FILTER_FIELDS: readonly FilterField[] = ['addedAfter', 'ids', 'types', 'versions', 'specVersions'];

/** The request's filters with the endpoint's defaults applied, and which of them the client sent. */
function requestFilters(endpoint: PagedEndpoint, params: ObjectQueryParameters): { filters: PageFilters; given: FilterField[] } {
  const listed = endpoint === 'objects' || endpoint === 'manifest';
  const filters: PageFilters = {
    ...(params.addedAfter !== undefined ? { addedAfter: params.addedAfter } : {}),
    ...(listed && params.ids !== undefined ? { ids: params.ids } : {}),
    ...(listed && params.types !== undefined ? { types: params.types } : {}),
    versions: endpoint === 'versions' ? ALL_VERSIONS : (params.versions ?? LATEST_VERSION),
    ...(params.specVersions !== undefined ? { specVersions: params.specVersions } : {}),
  };
  const given = FILTER_FIELDS.filter((field) => (field === 'versions' ? endpoint !== 'versions' && params.versions !== undefined : filters[field] !== undefined));
  return { filters, given };
}

const PARAMETER_NAMES: Record<FilterField, string> = {
  addedAfter: 'added_after',
  ids: 'match[id]',
  types: 'match[type]',
  versions: 'match[version]',
  specVersions: 'match[spec_version]',
};

/** What one DELETE may remove: the versions of these providers that `scope` reads, in the collection. */
interface DeleteGrant {
  readonly collectionId: string;
  readonly scope: ReadScope;
  readonly providerOrgIds: readonly string[];
}

/** Every stored version, whoever may read it: only to find the principal's own versions (deleteObject). */
const EVERY_VERSION: ReadScope = { kind: 'all' };

/** The collection that `idOrAlias` names in the API root (access/collection-names.ts, as the collection service), whoever may see it. */
function collectionIn(policy: CompiledPolicy, apiRootId: string, idOrAlias: string): Collection | undefined {
  const found = lookUpCollection(policy, idOrAlias, { apiRootId });
  return found.found ? found.collection.collection : undefined;
}

export function createObjectReadService(deps: ObjectReadServiceDeps): ObjectReadService {
  /**
   * Where a page starts and what it selects: from the request alone, or from its `next` token, whose
   * filters a follow-up may repeat or omit but not change (G8: clients differ in what they resend).
   */
  async function pageOf(endpoint: PagedEndpoint, collectionId: string, objectId: string | undefined, params: ObjectQueryParameters): Promise<{ filters: PageFilters; limit: number; after: number | undefined }> {
    const request = requestFilters(endpoint, params);
    if (params.next === undefined) return { filters: request.filters, limit: params.limit ?? DEFAULT_PAGE_LIMIT, after: request.filters.addedAfter };
    const cursor = await deps.nextTokens.open(params.next);
    if (cursor.endpoint !== endpoint || cursor.collectionId !== collectionId || cursor.objectId !== objectId) {
      throw hubError('BAD_REQUEST', 'The next parameter belongs to another endpoint, collection or object');
    }
    for (const field of request.given) {
      if (canonicalJson(request.filters[field]) !== canonicalJson(cursor.filters[field])) {
        throw hubError('BAD_REQUEST', `The URL parameter ${PARAMETER_NAMES[field]} differs from the request the next token continues; repeat the original value or omit it`);
      }
    }
    return { filters: cursor.filters, limit: params.limit ?? cursor.limit, after: cursor.after };
  }

  async function readPage<T extends ManifestEntry>(
    endpoint: PagedEndpoint,
    who: Principal | undefined,
    apiRootId: string,
    collection: string,
    objectId: string | undefined,
    params: ObjectQueryParameters,
    select: (query: ObjectPageSelection) => Promise<SelectedPage<T>>,
  ): Promise<ReadPage<T>> {
    const { collection: resolved, scope } = await deps.collections.resolveForAction(who, apiRootId, collection, 'read');
    const { filters, limit, after } = await pageOf(endpoint, resolved.id, objectId, params);
    const ids = objectId !== undefined ? [objectId] : filters.ids;
    const page = await select({
      collectionId: resolved.id,
      scope,
      ...(ids !== undefined ? { ids } : {}),
      ...(filters.types !== undefined ? { types: filters.types } : {}),
      specVersions: filters.specVersions !== undefined ? { kind: 'listed', values: filters.specVersions } : { kind: 'latest' },
      versions: filters.versions,
      ...(after !== undefined ? { addedAfter: after } : {}),
      limit,
    });
    // An object the client cannot read does not exist for it; one whose versions the filters all exclude does.
    if (objectId !== undefined && page.entries.length === 0 && (await deps.objects.readableVersionFacts(resolved.id, scope, objectId)).length === 0) {
      throw notFoundError(`object ${objectId} in collection ${collection}`);
    }
    const last = page.entries.at(-1);
    const cursor: PageCursor | undefined = !page.more || last === undefined ? undefined : { endpoint, collectionId: resolved.id, ...(objectId !== undefined ? { objectId } : {}), filters, limit, after: last.dateAdded };
    const answer: ReadPage<T> = cursor === undefined ? { entries: page.entries, more: false } : { entries: page.entries, more: true, next: await deps.nextTokens.seal(cursor) };
    // A poll of the collection reached the last version it was served, or the position it asked from.
    if ((endpoint === 'objects' || endpoint === 'manifest') && who !== undefined) deps.polls?.polled(who, resolved.id, 'taxii21', Math.max(last?.dateAdded ?? 0, after ?? 0), filters.types);
    return answer;
  }

  /**
   * The read gate of DELETE. A client that may neither read nor write the collection gets 404, not
   * 403 (interop §3.5.2.4): for it, no object there exists.
   */
  async function resolveForDelete(who: Principal | undefined, apiRootId: string, collection: string, what: string) {
    try {
      return await deps.collections.resolveForAction(who, apiRootId, collection, 'read');
    } catch (readDenied) {
      if (!isHubError(readDenied) || readDenied.code !== 'FORBIDDEN') throw readDenied;
      const writeDenied = await deps.collections.resolveForAction(who, apiRootId, collection, 'write').then(
        () => undefined,
        (error: unknown) => error,
      );
      if (writeDenied === undefined) throw readDenied; // write-only: 403
      throw isHubError(writeDenied) && writeDenied.code === 'FORBIDDEN' ? notFoundError(what) : writeDenied;
    }
  }

  /**
   * Issue 10: an organization keeps control of what it shared. When the object has versions that the
   * principal's organization provides in the collection, it may delete those, whatever its current
   * membership or write entitlement, with the roles DELETE always needs (provider, to write, and
   * consumer, to read: interop §3.5.2.3), else 403; an operator takes the member gate. Only its own
   * versions are touched and the answer says nothing of anyone else's: without own versions this
   * gives way to the member gate, which answers exactly as it would have (404 for a collection or
   * an object the principal cannot see).
   */
  async function ownObjectGate(who: Principal | undefined, apiRootId: string, idOrAlias: string, objectId: string, what: string): Promise<DeleteGrant | undefined> {
    if (who === undefined || isOperator(who)) return undefined;
    const collection = collectionIn(await deps.policy.current(), apiRootId, idOrAlias);
    if (collection === undefined) return undefined;
    const org = who.organizationId;
    const stored = await deps.objects.readableVersionFacts(collection.id, EVERY_VERSION, objectId);
    if (!stored.some((f) => f.providerOrgId === org)) return undefined;
    if (!hasRole(who, 'provider')) throw accessDenied('not-permitted', what, 'provider-role');
    if (!hasRole(who, 'consumer')) throw accessDenied('not-permitted', what, 'consumer-role');
    return { collectionId: collection.id, scope: EVERY_VERSION, providerOrgIds: [org] };
  }

  /** The gate of DELETE for an object of someone else (operators: any object): read and write the collection, and write the object. */
  async function memberGate(who: Principal | undefined, apiRootId: string, collection: string, objectId: string, what: string): Promise<DeleteGrant> {
    // §5.7 / interop: deleting needs both reading (a write-only client gets 403) and writing (so does a read-only one).
    const { collection: resolved, scope } = await resolveForDelete(who, apiRootId, collection, what);
    await deps.collections.resolveForAction(who, apiRootId, collection, 'write');
    const facts = await deps.objects.readableVersionFacts(resolved.id, scope, objectId);
    if (facts.length === 0) throw notFoundError(what);
    // Only the provider (writing in its own name) or an operator: the write decision on the object says exactly that.
    const policy = await deps.policy.current();
    for (const f of facts) {
      enforceDecision(decide(policy, who, 'write', { collectionId: resolved.id, object: { providerOrgId: f.providerOrgId, marking: f.tlp, recipients: f.recipients } }), what);
    }
    return { collectionId: resolved.id, scope, providerOrgIds: [...new Set(facts.map((f) => f.providerOrgId))] };
  }

  const hubIdentity = deps.hubIdentity ?? hubIdentityOf(deps.objects);
  const isHubDefinition = async (id: string) => isHubDefinitionId(id, await hubIdentity());

  const selectObjects = (query: ObjectPageSelection) => deps.objects.selectObjects(query);
  const selectManifest = (query: ObjectPageSelection) => deps.objects.selectManifest(query);

  return {
    getObjects: (who, apiRootId, collection, params) => readPage('objects', who, apiRootId, collection, undefined, params, selectObjects),
    getObject: (who, apiRootId, collection, objectId, params) => readPage('object', who, apiRootId, collection, objectId, params, selectObjects),
    getVersions: (who, apiRootId, collection, objectId, params) => readPage('versions', who, apiRootId, collection, objectId, params, selectManifest),
    getManifest: (who, apiRootId, collection, params) => readPage('manifest', who, apiRootId, collection, undefined, params, selectManifest),

    async deleteObject(who, apiRootId, collection, objectId, params) {
      const what = `object ${objectId} in collection ${collection}`;
      const { collectionId, scope, providerOrgIds } = (await ownObjectGate(who, apiRootId, collection, objectId, what)) ?? (await memberGate(who, apiRootId, collection, objectId, what));
      // The hub's shared definitions are stored under whichever organization wrote first; none of them may delete them for all.
      if (await isHubDefinition(objectId)) throw hubError('FORBIDDEN', HUB_DEFINITION_KEPT(objectId));
      const actor = who === undefined ? 'anonymous' : actorName(who);
      const deleted = await deps.objects.deleteVersions(
        {
          collectionId,
          scope,
          id: objectId,
          providerOrgIds,
          specVersions: params.specVersions !== undefined ? { kind: 'listed', values: params.specVersions } : { kind: 'any' },
          versions: params.versions ?? ALL_VERSIONS,
        },
        (versions) => ({
          actor,
          action: 'object.delete',
          entityType: 'stix-object',
          entityId: objectId,
          before: versions.map((v) => ({ collection_id: collectionId, version: formatMicros(effectiveVersion(v.version, v.dateAdded)), date_added: formatMicros(v.dateAdded) })),
          after: null,
        }),
      );
      if (deleted.length === 0) throw notFoundError(`version of ${what} matching the filters`);
      return deleted;
    },
  };
}
