import { HUB_DEFINITION_KEPT, isHubDefinitionId } from '../domain/sharing/tlp-marking-definitions';
import { hubError } from '../domain/errors';
import { collectionNamed } from './collection-names';
import type { IndicatorKind } from '../domain/indicators';
import { tlpFromMarkingRefs, type TlpLevel } from '../domain/tlp';
import { HUB_EXTENSION_ID } from '../domain/hub-extension';
import { LIFECYCLE_ACTIONS, stateOf, stateReasonOf, transitionVersion, type IndicatorState, type Transition } from '../domain/lifecycle/indicator-state';
import { actorName, hasRole, isOperator, type Principal } from '../domain/principal';
import { nextModified } from '../domain/submission/indicator-object';
import type { Collection } from '../domain/tenancy';
import { formatMicros, nowMicros, parseMicros } from '../domain/timestamps';
import type { HistoryVersion, ObjectStore, PurgedDependent, PurgedVersion, StoredHead } from '../storage/object-store';
import type { AuditEntry, TenancyStore } from '../storage/tenancy-store';
import type { StixValidator } from '../validation/stix-validator';
import type { CollectionService } from './collection-service';
import type { PolicyService } from './policy-service';
import { hubIdentityOf, type HubIdentity } from './sharing/hub-identity';
import { problemsMessage } from './object-ingest-service';

/**
 * Indicator lifecycle use cases (issue 6): revoke, mark benign, read the history, purge. A transition
 * is a new STIX version written under the collection's write lock, so it cannot race with another
 * transition or an update: the head it reads is the head it supersedes. Every transition and purge is
 * audited in the same transaction.
 */

export interface IndicatorStateView {
  readonly id: string;
  readonly collectionId: string;
  /** The provider organization; absent where attribution is hidden from the caller. */
  readonly provider?: string;
  readonly state: IndicatorState;
  readonly reason?: string;
  /** The current version (its `modified`). */
  readonly version: string;
}

export interface IndicatorHistory extends IndicatorStateView {
  readonly versions: readonly {
    readonly version: string;
    readonly dateAdded: string;
    readonly state: IndicatorState;
    readonly reason?: string;
    /** Who wrote it: shown to the provider organization and operators only. */
    readonly writtenBy?: string;
  }[];
  readonly transitions: readonly { readonly at: string; readonly action: string; readonly reason?: string; readonly version?: string; readonly actor?: string }[];
}

export interface PurgeOutcome {
  readonly id: string;
  readonly versions: readonly { readonly collectionId: string; readonly dateAdded: string }[];
}

/** One indicator in a listing: its state as of now, from its latest readable version. */
export interface IndicatorSummary extends IndicatorStateView {
  readonly name?: string;
  readonly kind?: string;
  readonly validUntil?: string;
  readonly dateAdded: string;
  /** Its TLP marking, when it carries one. */
  readonly tlp?: TlpLevel;
}

export interface IndicatorListing {
  readonly indicators: readonly IndicatorSummary[];
  /** Where the next page starts (its `after`), when more follow. */
  readonly nextAfter?: number;
}

export interface IndicatorListFilters {
  readonly state?: IndicatorState;
  readonly provider?: string;
  /** The hub kind (c2-ip, url …). */
  readonly kind?: IndicatorKind;
  readonly tlp?: TlpLevel;
  /** A campaign's id or name: indicators that indicate it. */
  readonly campaign?: string;
  readonly after?: number;
  readonly limit?: number;
}

export interface IndicatorLifecycleService {
  /** The indicators of a collection the principal may read, optionally by state and provider, in date_added order. */
  list(who: Principal | undefined, collectionId: string, filters: IndicatorListFilters): Promise<IndicatorListing>;
  transition(who: Principal | undefined, collectionId: string, id: string, transition: Transition): Promise<IndicatorStateView>;
  history(who: Principal | undefined, collectionId: string, id: string): Promise<IndicatorHistory>;
  purge(who: Principal | undefined, id: string, reason: string): Promise<PurgeOutcome>;
}

export interface IndicatorLifecycleDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly store: { readonly collections: Pick<TenancyStore['collections'], 'get' | 'list'>; readonly audit: Pick<TenancyStore['audit'], 'list'> };
  readonly objects: Pick<ObjectStore, 'writeLocked' | 'objectHistory' | 'purgeObject' | 'indicatorHeads' | 'hubIdentityId'>;
  /** The hub's identity (one per hub, shared by the services); from `objects` when not given. */
  readonly hubIdentity?: HubIdentity;
  /** The access policy: whether a collection hides who provides its objects. */
  readonly policy: Pick<PolicyService, 'current'>;
  /** Every version a transition writes passes the STIX validator, as posted objects do. */
  readonly validate: StixValidator;
  readonly now?: () => number;
  /** Told of every transition and purge that took effect (metrics). */
  readonly onTransition?: (transition: 'revoked' | 'benign' | 'purged') => void;
}

/** Page sizes of a listing: the default and the most. */
export const INDICATOR_PAGE = { default: 100, max: 1000 } as const;

/** The most audit records one history shows. */
const HISTORY_AUDIT_LIMIT = 1000;

/** May `who` change the lifecycle of an indicator `provider` provides? Its provider organization (provider or org-admin role) and operators. */
export function mayTransition(who: Principal, provider: string): boolean {
  return isOperator(who) || (who.organizationId === provider && (hasRole(who, 'provider') || hasRole(who, 'org-admin')));
}

class NotPermitted extends Error {}

export function createIndicatorLifecycleService(deps: IndicatorLifecycleDeps): IndicatorLifecycleService {
  const now = deps.now ?? Date.now;
  const hubIdentity = deps.hubIdentity ?? hubIdentityOf(deps.objects);

  /** The collection a client names by id or alias (the same resolver as TAXII's); NOT_FOUND when none. */
  async function collectionOf(who: Principal | undefined, name: string): Promise<Collection> {
    return collectionNamed(await deps.policy.current(), name, who === undefined ? {} : { who }).collection;
  }

  /** The versions of `id` that `who` may read in the collection; empty when none (or it cannot read the collection). */
  async function readableHistory(who: Principal, collection: Collection, id: string): Promise<HistoryVersion[]> {
    let scope;
    try {
      ({ scope } = await deps.collections.resolveForAction(who, collection.apiRootId, collection.id, 'read'));
    } catch {
      return [];
    }
    return deps.objects.objectHistory(collection.id, scope, id);
  }

  /** Where attribution is hidden, who learns providers: operators and each provider organization about its own objects. */
  async function attributionFor(who: Principal, collectionId: string): Promise<(provider: string) => boolean> {
    const hidden = (await deps.policy.current()).collections.get(collectionId)?.attribution === 'hidden';
    return (provider) => !hidden || isOperator(who) || who.organizationId === provider;
  }

  const notFound = (id: string, collection: string) => hubError('NOT_FOUND', `There is no indicator ${id} in collection ${collection}`);

  return {
    async list(who, collectionId, filters) {
      const collection = await collectionOf(who, collectionId);
      const { scope } = await deps.collections.resolveForAction(who, collection.apiRootId, collection.id, 'read');
      const shown = who === undefined ? () => false : await attributionFor(who, collection.id);
      if (filters.provider !== undefined && !shown(filters.provider)) {
        throw hubError('BAD_REQUEST', 'Attribution is hidden in this collection: the provider filter may name only your own organization');
      }
      const limit = Math.min(filters.limit ?? INDICATOR_PAGE.default, INDICATOR_PAGE.max);
      const at = nowMicros(now);
      const heads = await deps.objects.indicatorHeads({
        collectionId: collection.id,
        scope,
        nowMicros: at,
        limit,
        ...(filters.provider !== undefined ? { providerOrgId: filters.provider } : {}),
        ...(filters.state !== undefined ? { state: filters.state } : {}),
        ...(filters.kind !== undefined ? { kind: filters.kind } : {}),
        ...(filters.tlp !== undefined ? { tlp: filters.tlp } : {}),
        ...(filters.campaign !== undefined ? { campaign: filters.campaign } : {}),
        ...(filters.after !== undefined ? { afterDateAdded: filters.after } : {}),
      });
      const page = heads.slice(0, limit);
      const last = page.at(-1);
      return {
        indicators: page.map((head) => summary(collection.id, head, at, shown(head.providerOrgId))),
        ...(heads.length > limit && last !== undefined ? { nextAfter: last.dateAdded } : {}),
      };
    },

    async transition(who, collectionId, id, transition) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      // Among all collections, not only those `who` sees: a provider organization changes its indicators whatever its membership now (issue 10).
      const collection = await collectionOf(undefined, collectionId);
      const at = now();
      let ownIndicator = false;
      try {
        const changed = await deps.objects.writeLocked(collection.id, nowMicros(() => at), async (session) => {
          const head = (await session.heads([id])).get(id);
          if (head === undefined || head.object.type !== 'indicator') throw notFound(id, collectionId);
          // No collection gate: the provider organization changes its indicator whatever its membership or write entitlement now (issue 10).
          ownIndicator = head.providerOrgId === who.organizationId;
          if (!mayTransition(who, head.providerOrgId)) throw new NotPermitted();
          const current = stateOf(head.object, nowMicros(() => at));
          if (current === 'revoked' || current === 'benign') {
            throw hubError('CONFLICT', `The indicator is already ${current}; revocation is final in STIX. Submit the value again to list it anew.`);
          }
          const modified = nextModified(at, head.version);
          const object = transitionVersion(head.object, transition, modified);
          const valid = deps.validate(object);
          if (!valid.ok) throw new Error(`lifecycle: the ${transition.to} version of ${id} is not valid STIX: ${problemsMessage(valid.problems)}`);
          const [outcome] = await session.append(head.providerOrgId, [{
            id, type: 'indicator', specVersion: '2.1', version: parseMicros(modified) as number, providerOrgId: head.providerOrgId,
            tlp: head.tlp, recipients: head.recipients, object, writtenBy: actorName(who),
          }]);
          if (outcome?.kind !== 'added') throw new Error(`lifecycle: the ${transition.to} version of ${id} was not stored (${outcome?.kind})`);
          await session.audit({
            actor: actorName(who),
            action: LIFECYCLE_ACTIONS[transition.to],
            entityType: 'indicator',
            entityId: id,
            before: { collection_id: collection.id, version: head.object.modified, state: current },
            after: { collection_id: collection.id, version: modified, state: transition.to, ...(transition.reason !== undefined ? { reason: transition.reason } : {}) },
          });
          return view(collection.id, { ...head, object }, nowMicros(() => at));
        });
        deps.onTransition?.(transition.to);
        return changed;
      } catch (error) {
        if (!(error instanceof NotPermitted)) throw error;
        // Its own organization, or someone who can read the indicator, learns why not; anyone else learns nothing.
        if (!ownIndicator && (await readableHistory(who, collection, id)).length === 0) throw notFound(id, collectionId);
        throw hubError('FORBIDDEN', 'Only the provider organization (provider or org-admin), or an operator, may change an indicator');
      }
    },

    async history(who, collectionId, id) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      const collection = await collectionOf(who, collectionId);
      const versions = (await readableHistory(who, collection, id)).filter((v) => v.object.type === 'indicator');
      const head = versions.at(-1);
      if (head === undefined) throw notFound(id, collectionId);
      const at = nowMicros(now);
      const insider = isOperator(who) || who.organizationId === head.providerOrgId;
      const shown = (await attributionFor(who, collection.id))(head.providerOrgId);
      const audit = await deps.store.audit.list({ entityType: 'indicator', entityId: id, limit: HISTORY_AUDIT_LIMIT });
      return {
        ...view(collection.id, head, at, shown),
        versions: versions.map((v) => {
          const reason = stateReasonOf(v.object);
          return {
            version: String(v.object.modified),
            dateAdded: formatMicros(v.dateAdded),
            state: stateOf(v.object, at),
            ...(reason !== undefined ? { reason } : {}),
            ...(insider && v.writtenBy !== undefined ? { writtenBy: v.writtenBy } : {}),
          };
        }),
        transitions: audit.filter((e) => inCollection(e, collection.id)).map((e) => transitionJson(e, insider)),
      };
    },

    async purge(who, id, reason) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      if (isHubDefinitionId(id, await hubIdentity())) throw hubError('FORBIDDEN', HUB_DEFINITION_KEPT(id));
      const operator = isOperator(who);
      if (operator || hasRole(who, 'org-admin')) {
        // The org-admin purges its organization's versions, wherever they are, whatever its membership now (issue 10).
        const providers = operator ? 'any' : [who.organizationId];
        const purged = await deps.objects.purgeObject(id, providers, (deleted: readonly PurgedVersion[], dependents: readonly PurgedDependent[]) => ({
          actor: actorName(who),
          action: LIFECYCLE_ACTIONS.purge,
          entityType: 'indicator',
          entityId: id,
          before: deleted.map((v) => ({ collection_id: v.collectionId, version: formatMicros(v.version), date_added: formatMicros(v.dateAdded) })),
          after: { reason, ...(dependents.length > 0 ? { removed_with: dependents.map((d) => ({ collection_id: d.collectionId, id: d.id, type: d.type })) } : {}) },
        }));
        if (purged.length > 0) {
          deps.onTransition?.('purged');
          return { id, versions: purged.map((v) => ({ collectionId: v.collectionId, dateAdded: formatMicros(v.dateAdded) })) };
        }
      }
      /** May `who` know of `id`: does its organization provide a version of it, or can it read one, in some collection? */
      const known = async (principal: Principal): Promise<boolean> => {
        for (const collection of await deps.store.collections.list()) {
          const stored = await deps.objects.objectHistory(collection.id, { kind: 'all' }, id);
          if (stored.length === 0) continue;
          if (stored.some((v) => v.providerOrgId === principal.organizationId)) return true;
          if ((await readableHistory(principal, collection, id)).length > 0) return true;
        }
        return false;
      };
      // Nothing it may purge: it learns why only of an object it may know of; anyone else learns nothing.
      if (!operator && (await known(who))) throw hubError('FORBIDDEN', 'Purging needs an operator or the org-admin of the provider organization');
      throw hubError('NOT_FOUND', `There is no object ${id} that you may purge`);
    },
  };
}

function view(collectionId: string, head: Pick<StoredHead, 'id' | 'providerOrgId' | 'object'>, at: number, providerShown = true): IndicatorStateView {
  const reason = stateReasonOf(head.object);
  return {
    id: head.id,
    collectionId,
    ...(providerShown ? { provider: head.providerOrgId } : {}),
    state: stateOf(head.object, at),
    ...(reason !== undefined ? { reason } : {}),
    version: String(head.object.modified),
  };
}

function summary(collectionId: string, head: HistoryVersion, at: number, providerShown: boolean): IndicatorSummary {
  const { object } = head;
  const kind = hubKind(object);
  const tlp = Array.isArray(object.object_marking_refs) ? tlpFromMarkingRefs(object.object_marking_refs.filter((r): r is string => typeof r === 'string')) : undefined;
  return {
    ...view(collectionId, head, at, providerShown),
    ...(typeof object.name === 'string' ? { name: object.name } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(typeof object.valid_until === 'string' ? { validUntil: object.valid_until } : {}),
    dateAdded: formatMicros(head.dateAdded),
    ...(tlp !== undefined ? { tlp } : {}),
  };
}

function hubKind(object: Readonly<Record<string, unknown>>): string | undefined {
  const extension = (object.extensions as Record<string, { kind?: unknown }> | undefined)?.[HUB_EXTENSION_ID];
  return typeof extension?.kind === 'string' ? extension.kind : undefined;
}

function inCollection(entry: AuditEntry, collectionId: string): boolean {
  const after = entry.after as { collection_id?: unknown } | null;
  return after?.collection_id === collectionId;
}

function transitionJson(entry: AuditEntry, insider: boolean) {
  const after = (entry.after ?? {}) as { version?: unknown; reason?: unknown };
  return {
    at: entry.at.toISOString(),
    action: entry.action,
    ...(typeof after.reason === 'string' ? { reason: after.reason } : {}),
    ...(typeof after.version === 'string' ? { version: after.version } : {}),
    ...(insider ? { actor: entry.actor } : {}),
  };
}
