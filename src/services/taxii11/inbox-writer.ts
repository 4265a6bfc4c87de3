import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import { audienceKey } from '../../domain/submission/hub-objects';
import { nextModified, stixMillis } from '../../domain/submission/indicator-object';
import type { Collection } from '../../domain/tenancy';
import { compareUtcTimestamps } from '../../domain/timestamps';
import { tlpFromMarkingRefs } from '../../domain/tlp';
import type { CollectionWriteSession, NewObjectVersion, ProviderAppendOutcome, StoredHead } from '../../storage/object-store';
import type { StixValidator } from '../../validation/stix-validator';
import { hubVersions, MESSAGES, prepare, revocationAudit, type IngestContext } from '../object-ingest-service';
import type { Audience, SharingRules } from '../sharing/sharing-rules';
import type { MappedIndicator } from './inbox-bridge';
import { inboxCreators } from './inbox-creators';

/**
 * Stores the bridged indicators of one Inbox_Message in one collection, inside a write session the
 * caller holds (so several collections can share one transaction). Every indicator passes the checks
 * of TAXII 2.1 Add Objects (prepare) and the store's (one provider per id, revocation is final, the
 * sharing guard). The caller rolls the whole transaction back when any indicator is refused: this
 * function only reports.
 *
 * A STIX 1.x id keeps one hub id per provider and collection (the hub's key table), so a later 1.x
 * timestamp of the same indicator is a new version of the same hub object, and the same timestamp
 * with the same content is already present. A 1.x indicator without a timestamp is versioned by the
 * hub: the same content again is already present, other content is a new version stamped now.
 */

export interface InboxItem {
  /** The Content_Block it came in, counted from 1. */
  readonly block: number;
  readonly stix1Id: string;
  readonly indicator: MappedIndicator;
}

export interface InboxRefusal {
  readonly block: number;
  readonly stix1Id: string;
  /** The collection's TAXII 1.1 name, when the refusal is the store's in one collection. */
  readonly collection?: string;
  readonly reason: string;
}

export interface InboxCollectionWrite {
  readonly collection: Collection;
  readonly name: string;
  readonly provider: { readonly id: string; readonly name: string };
  readonly actor: string;
  readonly nowMillis: number;
  readonly nowMicros: number;
  readonly items: readonly InboxItem[];
  readonly rules: SharingRules;
  readonly organizationIds: ReadonlySet<string>;
  readonly hubIdentityId: string;
  readonly validate: StixValidator;
}

export interface InboxCollectionResult {
  readonly added: number;
  readonly alreadyPresent: number;
  readonly refusals: readonly InboxRefusal[];
}

/** The key-table key of a provider's STIX 1.x id: one hub object id per provider, 1.x id and collection. */
export const stix1Key = (providerOrgId: string, stix1Id: string): string => `stix1:${providerOrgId}:${stix1Id}`;

/** Properties the hub sets itself, whatever the bridge gives. */
const HUB_SET = new Set(['type', 'spec_version', 'id', 'created_by_ref', 'created', 'modified']);

export async function writeInboxItems(session: CollectionWriteSession, write: InboxCollectionWrite): Promise<InboxCollectionResult> {
  const { collection, rules } = write;
  const provider = write.provider.id;
  const refusals: InboxRefusal[] = [];
  const refuse = (item: InboxItem, reason: string, inCollection = false) =>
    refusals.push({ block: item.block, stix1Id: item.stix1Id, ...(inCollection ? { collection: write.name } : {}), reason });
  if (write.items.length === 0) return { added: 0, alreadyPresent: 0, refusals };

  const ids = await session.hubObjectIdsFor(write.items.map((i) => stix1Key(provider, i.stix1Id)), () => `indicator--${randomUUID()}`);
  const idOf = (item: InboxItem) => (ids.get(stix1Key(provider, item.stix1Id)) as { id: string }).id;
  // Only an id known before this message can have stored versions.
  const heads = await session.heads([...ids.values()].filter((k) => !k.made).map((k) => k.id));
  const audiences = write.items.map((item) => audienceOf(item.indicator, collection));
  const creators = await inboxCreators(session, { provider: write.provider, rules, hubIdentityId: write.hubIdentityId, nowMillis: write.nowMillis, actor: write.actor, audiences });

  const context: IngestContext = { collection, organizationIds: write.organizationIds, attribution: rules.attribution, hubIdentityId: write.hubIdentityId };
  const candidates: { item: InboxItem; version: NewObjectVersion }[] = [];
  let unchanged = 0;
  write.items.forEach((item, i) => {
    const audience = audiences[i] as Audience;
    const creator = creators.byAudience.get(audienceKey(audience.tlp, audience.recipients)) as string;
    const head = heads.get(idOf(item));
    const { object, restated } = indicatorObject(idOf(item), creator, item.indicator, head, write.nowMillis);
    if (restated !== undefined && head !== undefined) {
      // Undated in 1.x: stored already when the head, restated, is what the checks would store.
      const again = prepare(write.validate, restated, context, provider, write.nowMicros, write.actor);
      if (again.kind === 'candidate' && canonicalJson(again.version.object) === canonicalJson(head.object)) {
        unchanged += 1;
        return;
      }
    }
    const prepared = prepare(write.validate, object, context, provider, write.nowMicros, write.actor);
    if (prepared.kind === 'candidate') candidates.push({ item, version: prepared.version });
    else refuse(item, prepared.detail.message ?? 'refused');
  });

  const versions = candidates.map((c) => c.version);
  const definitions = hubVersions([...creators.pending, ...versions], write.hubIdentityId, provider);
  const present = await session.heads(definitions.map((d) => d.id));
  const missing = definitions.filter((d) => !present.has(d.id));
  const outcomes = await session.append(provider, [...missing, ...creators.pending, ...versions], rules.guard);
  outcomes.slice(missing.length, missing.length + creators.pending.length).forEach((outcome, i) => {
    if (outcome.kind !== 'added' && outcome.kind !== 'duplicate') {
      throw new Error(`inbox: the provider identity ${String(creators.pending[i]?.id)} was not stored (${outcome.kind === 'refused' ? outcome.reason : outcome.kind})`);
    }
  });
  const stored = outcomes.slice(missing.length + creators.pending.length);
  let added = 0;
  let alreadyPresent = unchanged;
  stored.forEach((outcome, i) => {
    const { item } = candidates[i] as { item: InboxItem };
    const verdict = verdictOf(outcome);
    if (verdict === 'added') added += 1;
    else if (verdict === 'already-present') alreadyPresent += 1;
    else refuse(item, verdict.reason, true);
  });
  for (const entry of revocationAudit(versions, stored, collection.id, write.actor, write.nowMicros)) await session.audit(entry);
  return { added, alreadyPresent, refusals };
}

/** The audience an indicator is marked for: its TLP marking, else the collection's default. */
function audienceOf(indicator: MappedIndicator, collection: Collection): Audience {
  // STIX 1.x has no way to name TLP:RED recipients: a RED indicator has none (and prepare refuses it).
  return { tlp: tlpFromMarkingRefs(indicator.object_marking_refs ?? []) ?? collection.defaultMarking, recipients: [] };
}

/**
 * The STIX 2.1 indicator version to store. For a 1.x indicator without timestamp that is stored
 * already, `restated` is the same content under the head's created and modified: when the checks
 * turn it into the head itself, nothing changed.
 */
function indicatorObject(id: string, creator: string, mapped: MappedIndicator, head: StoredHead | undefined, nowMillis: number): { object: Record<string, unknown>; restated?: Record<string, unknown> } {
  const headCreated = typeof head?.object.created === 'string' ? head.object.created : undefined;
  const stamp = mapped.modified ?? mapped.created;
  // Without Start_Time nor timestamp, validity starts when the hub first stored the indicator.
  const validFrom = mapped.valid_from ?? (typeof head?.object.valid_from === 'string' ? head.object.valid_from : (stamp ?? stixMillis(nowMillis)));
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mapped)) if (!HUB_SET.has(k)) properties[k] = v;
  properties.valid_from = validFrom;
  const base = { type: 'indicator', spec_version: '2.1', id, created_by_ref: creator };
  if (stamp !== undefined) {
    // A later version keeps the first version's created (STIX 2.1 §3.2); an earlier one posted late has its own.
    const keepsCreated = headCreated !== undefined && (compareUtcTimestamps(headCreated, stamp) ?? 1) <= 0;
    return { object: { ...base, created: keepsCreated ? headCreated : (mapped.created ?? stamp), modified: stamp, ...properties } };
  }
  if (head !== undefined && headCreated !== undefined) {
    return {
      object: { ...base, created: headCreated, modified: nextModified(nowMillis, head.version), ...properties },
      restated: { ...base, created: headCreated, modified: head.object.modified, ...properties },
    };
  }
  const now = stixMillis(nowMillis);
  return { object: { ...base, created: now, modified: now, ...properties } };
}

function verdictOf(outcome: ProviderAppendOutcome): 'added' | 'already-present' | { reason: string } {
  switch (outcome.kind) {
    case 'added':
      return 'added';
    case 'duplicate':
      return outcome.identical ? 'already-present' : { reason: MESSAGES.conflictingVersion };
    case 'provided-by-another':
      return { reason: MESSAGES.providedByAnother };
    case 'revoked':
      return { reason: MESSAGES.revoked };
    case 'refused':
      return { reason: outcome.reason };
  }
}
