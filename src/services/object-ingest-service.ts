import { randomUUID } from 'node:crypto';
import { reporterScope } from '../access';
import { hubError, type FieldProblem } from '../domain/errors';
import { RED_RECIPIENTS_PATH, redRecipientsOf } from '../domain/hub-extension';
import { LIFECYCLE_ACTIONS, stateOf, stateReasonOf } from '../domain/lifecycle/indicator-state';
import { actorName, isOperator, type Principal } from '../domain/principal';
import { readStixObjectHead } from '../domain/stix-object-head';
import type { Collection } from '../domain/tenancy';
import { formatMicros, nowMicros } from '../domain/timestamps';
import { tlpFromMarkingRefs } from '../domain/tlp';
import type { NewObjectVersion, ObjectStore, ProviderAppendOutcome } from '../storage/object-store';
import type { StatusDetail, StatusStore, TaxiiStatus } from '../storage/status-store';
import type { NewAuditEntry, TenancyStore } from '../storage/tenancy-store';
import type { StixValidator } from '../validation/stix-validator';
import type { CollectionService } from './collection-service';
import type { PolicyService } from './policy-service';
import { sharingRules, type Attribution } from './sharing/sharing-rules';
import { sharedDefinitions } from '../domain/submission/hub-objects';
import { tlpMarkingDefinition, tlpMarkingIdsOf } from '../domain/sharing/tlp-marking-definitions';
import { TLP2_MARKING_REFS } from '../domain/tlp';
import { hubIdentityOf, type HubIdentity } from './sharing/hub-identity';

export type { StatusDetail, TaxiiStatus } from '../storage/status-store';

/** A collection the principal may write to, with the body limit of its API root. */
export interface WriteTarget {
  readonly who: Principal;
  readonly apiRootId: string;
  readonly collection: Collection;
  /** The API root's max_content_length, in bytes. */
  readonly maxContentLength: number;
}

/** The use cases behind TAXII 2.1 Add Objects (§5.5) and Get Status (§4.3). */
export interface ObjectIngestService {
  /**
   * The gate of Add Objects, before the body is read: AUTHENTICATION_REQUIRED, NOT_FOUND or FORBIDDEN
   * as CollectionService.resolveForAction(..., 'write') decides.
   */
  openWrite(who: Principal | undefined, apiRootId: string, idOrAlias: string): Promise<WriteTarget>;
  /**
   * Stores the objects that pass, each on its own (one object is one row: never half an object), and
   * returns the request's status resource, already stored. Processing is synchronous: the status is
   * 'complete' and nothing is pending.
   */
  add(target: WriteTarget, objects: readonly unknown[]): Promise<TaxiiStatus>;
  /** A status of this API root; NOT_FOUND unless the principal's organization posted it (operators read all). */
  status(who: Principal, apiRootId: string, statusId: string): Promise<TaxiiStatus>;
}

export interface ObjectIngestDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly apiRoots: Pick<TenancyStore['apiRoots'], 'get'>;
  readonly objects: Pick<ObjectStore, 'appendAsProvider' | 'hubIdentityId'>;
  /** The access policy: audiences, known organizations and attribution of the collection written to. */
  readonly policy: Pick<PolicyService, 'current'>;
  /** The hub's identity (one per hub, shared by the services); from `objects` when not given. */
  readonly hubIdentity?: HubIdentity;
  readonly statuses: StatusStore;
  /** Full STIX 2.1 validation, patterns included; created once by the caller (compiling it is slow). */
  readonly validate: StixValidator;
  /** Wall clock in milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Told when purging expired statuses fails; the POST itself still succeeds. */
  readonly onPurgeError?: (error: unknown) => void;
}

/** A failure's message names at most this many problems of the object, then how many more there are. */
export const MAX_PROBLEMS_NAMED = 5;
/** A failure's message is cut to this many characters (paths can carry long custom property names). */
export const MAX_FAILURE_MESSAGE_LENGTH = 1000;

/** Expired statuses are purged on a POST, at most this often. */
export const STATUS_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export const MESSAGES = {
  alreadyPresent: 'already present',
  conflictingVersion: 'a different object with this id and version already exists',
  unversionedChange: 'an object without created/modified cannot change',
  providedByAnother: 'another organization provides the object with this id in this collection',
  redWithoutRecipients: `TLP:RED needs named recipients in ${RED_RECIPIENTS_PATH}`,
  revoked: 'the object is revoked, and revocation is final (STIX 2.1 section 3.6.2): share a new object instead',
  unknownRecipient: (id: string) => `TLP:RED names "${id}", an organization this hub does not know: name hub organization ids in ${RED_RECIPIENTS_PATH}`,
  unmarkedRefused: 'the object has no TLP marking, and this collection refuses unmarked objects: add a TLP 2.0 marking-definition id to object_marking_refs',
  attributionHidden: (hubId: string) =>
    `attribution is hidden in this collection, so objects may not name their creator: omit created_by_ref, or use the hub's identity ${hubId}`,
  servedByHub: 'already present (the hub serves the published TLP marking-definitions itself)',
} as const;

/** What prepare() needs to know of the collection and the hub. */
export interface IngestContext {
  readonly collection: Collection;
  readonly organizationIds: ReadonlySet<string>;
  readonly attribution: Attribution;
  readonly hubIdentityId: string;
}

/** An object that passed the checks, waiting for the store's verdict, or one that failed already. */
export type Prepared =
  | { readonly kind: 'failure'; readonly detail: StatusDetail }
  | { readonly kind: 'served'; readonly detail: StatusDetail }
  | { readonly kind: 'candidate'; readonly version: NewObjectVersion; readonly versionText: string | undefined };

export function createObjectIngestService(deps: ObjectIngestDeps): ObjectIngestService {
  const now = deps.now ?? Date.now;
  let lastPurge: number | undefined;
  const hubIdentityId = deps.hubIdentity ?? hubIdentityOf(deps.objects);
  /** `collection id` + ` ` + `definition id` of the hub's definitions this process knows are stored (they are never deleted). */
  const published = new Set<string>();

  /** TAXII asks to keep statuses 24 hours after completion; the store keeps 7 days, purged here hourly. */
  async function purgeWhenDue(): Promise<void> {
    const at = now();
    if (lastPurge !== undefined && at - lastPurge < STATUS_PURGE_INTERVAL_MS) return;
    lastPurge = at;
    try {
      await deps.statuses.purgeExpired(nowMicros(() => at));
    } catch (error) {
      lastPurge = undefined; // try again on the next POST
      deps.onPurgeError?.(error);
    }
  }

  return {
    async openWrite(who, apiRootId, idOrAlias) {
      const { collection } = await deps.collections.resolveForAction(who, apiRootId, idOrAlias, 'write');
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED'); // resolveForAction has refused already
      const root = await deps.apiRoots.get(apiRootId);
      if (!root) throw hubError('NOT_FOUND', `There is no API root ${apiRootId}`);
      return { who, apiRootId, collection, maxContentLength: root.maxContentLength };
    },

    async add(target, objects) {
      await purgeWhenDue();
      const requestTimestamp = nowMicros(now);
      const provider = target.who.organizationId;
      const actor = actorName(target.who);
      const policy = await deps.policy.current();
      const rules = sharingRules(policy, target.collection.id);
      const context: IngestContext = { collection: target.collection, organizationIds: policy.organizationIds, attribution: rules.attribution, hubIdentityId: await hubIdentityId() };
      const prepared = objects.map((raw) => prepare(deps.validate, raw, context, provider, requestTimestamp, actor));
      const candidates = prepared.flatMap((p) => (p.kind === 'candidate' ? [p.version] : []));
      // The hub's own definitions and the TLP marking-definitions the objects use go first: identical
      // copies of stored ones are no-ops, so every collection carries them from its first write on.
      const definitions = candidates.length === 0 ? [] : hubVersions(candidates, context.hubIdentityId, provider).filter((d) => !published.has(`${target.collection.id} ${d.id}`));
      const stored = await deps.objects.appendAsProvider(
        target.collection.id,
        provider,
        [...definitions, ...candidates],
        requestTimestamp,
        (all) => revocationAudit(candidates, all.slice(definitions.length), target.collection.id, actor, requestTimestamp),
        rules.guard,
        // A sighting, opinion or note reaches the provider of what it reports on (its named readers).
        reporterScope(policy, target.who, target.collection.id),
      );
      // A definition stored before (by another organization, or by an earlier hub version) serves as it is.
      for (const [i, outcome] of stored.slice(0, definitions.length).entries()) {
        if (outcome.kind === 'added' || outcome.kind === 'duplicate') published.add(`${target.collection.id} ${String(definitions[i]?.id)}`);
      }
      const outcomes = stored.slice(definitions.length);

      const successes: StatusDetail[] = [];
      const failures: StatusDetail[] = [];
      let next = 0;
      for (const p of prepared) {
        if (p.kind === 'failure') {
          failures.push(p.detail);
          continue;
        }
        if (p.kind === 'served') {
          successes.push(p.detail);
          continue;
        }
        const outcome = outcomes[next++] as ProviderAppendOutcome;
        const detail = outcomeDetail(p, outcome, requestTimestamp);
        (detail.success ? successes : failures).push(detail.detail);
      }
      const status: TaxiiStatus = {
        id: randomUUID(),
        apiRootId: target.apiRootId,
        collectionId: target.collection.id,
        organizationId: provider,
        requestTimestamp,
        completedAt: Math.max(requestTimestamp, nowMicros(now)),
        status: 'complete',
        successes,
        failures,
        pendings: [],
      };
      // Stored right after the objects, in its own statement: if this fails the client gets an error
      // and may post again, which is safe (identical objects are successes, not new versions).
      await deps.statuses.insert(status);
      return status;
    },

    async status(who, apiRootId, statusId) {
      const found = await deps.statuses.get(apiRootId, statusId);
      // Another organization's status does not exist for this client, exactly like an unknown id.
      if (!found || (found.organizationId !== who.organizationId && !isOperator(who))) {
        throw hubError('NOT_FOUND', `There is no status ${statusId} in API root ${apiRootId}`);
      }
      return found;
    },
  };
}

/**
 * A provider posting a revoked version of an indicator revokes it (or marks it benign, when the hub
 * extension says so): the transition is audited like one made through the hub API.
 */
export function revocationAudit(candidates: readonly NewObjectVersion[], stored: readonly ProviderAppendOutcome[], collectionId: string, actor: string, requestTimestamp: number): NewAuditEntry[] {
  return candidates.flatMap((version, i) => {
    if (stored[i]?.kind !== 'added' || version.type !== 'indicator' || version.object.revoked !== true) return [];
    const state = stateOf(version.object, requestTimestamp);
    const reason = stateReasonOf(version.object);
    const to = state === 'benign' ? 'benign' : 'revoked';
    return [{
      actor,
      action: LIFECYCLE_ACTIONS[to],
      entityType: 'indicator',
      entityId: version.id,
      before: null,
      after: { collection_id: collectionId, version: version.object.modified ?? null, state: to, via: 'taxii', ...(reason !== undefined ? { reason } : {}) },
    }];
  });
}

/** The hub's shared definitions `candidates` need, as versions `provider` writes (TLP:CLEAR). */
export function hubVersions(candidates: readonly NewObjectVersion[], hubIdentityId: string, provider: string): NewObjectVersion[] {
  return sharedDefinitions(hubIdentityId, candidates.flatMap((c) => tlpMarkingIdsOf(c.object))).map((object) => {
    const head = readStixObjectHead(object);
    if (!head.ok) throw new Error(`ingest: the hub's ${String(object.id)} is not a STIX object`);
    return { id: head.head.id, type: head.head.type, specVersion: '2.1', version: head.head.versionMicros ?? 0, providerOrgId: provider, tlp: 'clear', recipients: [], object, writtenBy: 'hub' };
  });
}

/** The per-object checks of Add Objects (validation, TLP, RED recipients, attribution), shared with the TAXII 1.1 Inbox. */
export function prepare(validate: StixValidator, raw: unknown, context: IngestContext, providerOrgId: string, requestTimestamp: number, actor: string): Prepared {
  const { collection } = context;
  const failure = (message: string): Prepared => ({ kind: 'failure', detail: { id: postedId(raw), version: postedVersion(raw, requestTimestamp), message } });
  const validation = validate(raw);
  if (!validation.ok) return failure(problemsMessage(validation.problems));
  // Validation passed, so raw is a JSON object.
  const read = readStixObjectHead(raw as Readonly<Record<string, unknown>>);
  if (!read.ok) return failure(problemsMessage([read.problem]));
  const { head } = read;
  if (tlpMarkingDefinition(head.id) !== undefined) {
    return { kind: 'served', detail: { id: head.id, version: head.versionText ?? formatMicros(requestTimestamp), message: MESSAGES.servedByHub } };
  }
  const marked = tlpFromMarkingRefs(head.markingRefs);
  if (marked === undefined && collection.unmarked === 'refuse') return failure(MESSAGES.unmarkedRefused);
  const tlp = marked ?? collection.defaultMarking;
  const named = redRecipientsOf(head.object);
  if (!named.ok) return failure(named.reason);
  if (tlp === 'red' && named.recipients.length === 0) return failure(MESSAGES.redWithoutRecipients);
  const unknown = tlp === 'red' ? named.recipients.find((id) => !context.organizationIds.has(id)) : undefined;
  if (unknown !== undefined) return failure(MESSAGES.unknownRecipient(unknown));
  const creator = head.object.created_by_ref;
  if (context.attribution === 'hidden' && creator !== undefined && creator !== context.hubIdentityId) return failure(MESSAGES.attributionHidden(context.hubIdentityId));
  // An unmarked object is stored with the marking that governs it, so a consumer knows what it holds.
  const object = marked === undefined ? { ...head.object, object_marking_refs: [...head.markingRefs, TLP2_MARKING_REFS[tlp]] } : head.object;
  return {
    kind: 'candidate',
    versionText: head.versionText,
    version: {
      id: head.id,
      type: head.type,
      specVersion: head.specVersion,
      // Objects without modified/created (SCOs) have one version, 0; TAXII reports its date_added.
      version: head.versionMicros ?? 0,
      providerOrgId,
      tlp,
      // Recipients only mean something for RED; a non-RED object is stored with none.
      recipients: tlp === 'red' ? named.recipients : [],
      object,
      writtenBy: actor,
    },
  };
}

function outcomeDetail(
  p: Extract<Prepared, { kind: 'candidate' }>,
  outcome: ProviderAppendOutcome,
  requestTimestamp: number,
): { success: boolean; detail: StatusDetail } {
  const { id } = p.version;
  switch (outcome.kind) {
    case 'added':
      return { success: true, detail: { id, version: p.versionText ?? formatMicros(outcome.dateAdded) } };
    case 'duplicate': {
      const version = p.versionText ?? formatMicros(outcome.dateAdded);
      if (outcome.identical) return { success: true, detail: { id, version, message: MESSAGES.alreadyPresent } };
      const message = p.versionText === undefined ? MESSAGES.unversionedChange : MESSAGES.conflictingVersion;
      return { success: false, detail: { id, version, message } };
    }
    case 'provided-by-another':
      return { success: false, detail: { id, version: p.versionText ?? formatMicros(requestTimestamp), message: MESSAGES.providedByAnother } };
    case 'revoked':
      return { success: false, detail: { id, version: p.versionText ?? formatMicros(requestTimestamp), message: MESSAGES.revoked } };
    case 'refused':
      return { success: false, detail: { id, version: p.versionText ?? formatMicros(requestTimestamp), message: outcome.reason } };
  }
}

/**
 * A failure's message from the validator's problems: `path: message` joined with `; `, the first
 * MAX_PROBLEMS_NAMED of them, then "… and N more"; at most MAX_FAILURE_MESSAGE_LENGTH characters.
 */
export function problemsMessage(problems: readonly FieldProblem[]): string {
  const named = problems.slice(0, MAX_PROBLEMS_NAMED).map((p) => `${p.path}: ${p.message}`);
  const rest = problems.length - named.length;
  const message = named.join('; ') + (rest > 0 ? `; … and ${rest} more` : '');
  return message.length <= MAX_FAILURE_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_FAILURE_MESSAGE_LENGTH - 1)}…`;
}

/** The id a status detail names for an object that failed: its `id` when it has a string one. */
function postedId(raw: unknown): string {
  const id = isRecord(raw) ? raw.id : undefined;
  return typeof id === 'string' ? id : '';
}

/**
 * The version a status detail names for an object that was not stored: its `modified`, else its
 * `created`, as posted; for an object with neither, the request's time (the date_added it would have had).
 */
function postedVersion(raw: unknown, requestTimestamp: number): string {
  if (isRecord(raw)) {
    if (typeof raw.modified === 'string') return raw.modified;
    if (typeof raw.created === 'string') return raw.created;
  }
  return formatMicros(requestTimestamp);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
