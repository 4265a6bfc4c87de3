import { randomUUID } from 'node:crypto';
import type { NormalisedIndicator } from '../domain/indicators';
import { LIFECYCLE_ACTIONS, transitionVersion } from '../domain/lifecycle/indicator-state';
import { audienceKey, campaignObject, HUB_KEYS, organizationIdentity, relationshipObject, sharedDefinitions } from '../domain/submission/hub-objects';
import { hasContent, indicatorContent, indicatorVersion, nextModified, stixMillis, type IndicatorSettings } from '../domain/submission/indicator-object';
import type { ItemOutcome } from '../domain/submission/submission-document';
import { parseMicros } from '../domain/timestamps';
import { TLP2_MARKING_REFS } from '../domain/tlp';
import { indicatorKeyString, type AppendGuard, type CollectionWriteSession, type NewObjectVersion, type ObjectStore, type StoredHead } from '../storage/object-store';
import type { StixValidator } from '../validation/stix-validator';
import { problemsMessage } from './object-ingest-service';
import { coveringVariant, preferringKey, storedVariants } from './sharing/hub-object-variants';
import type { Attribution, Audience, SharingRules } from './sharing/sharing-rules';
import { dedupKey } from './submission-items';

/**
 * Stores submitted indicators under the collection's write lock, so that reading the current
 * indicator of a (kind, value), deciding, and writing its next version cannot race with another
 * submission or a lifecycle transition: a value never gets two indicators, and no update is lost.
 *
 * A later version never narrows who may read an indicator: a submission that would (a stricter TLP,
 * fewer RED recipients) revokes the old indicator under its old marking, so every earlier reader
 * learns it, and creates a new one under the new marking, linked to the old by `related-to`.
 */

export interface PreparedItem {
  readonly index: number;
  readonly indicator: NormalisedIndicator;
  readonly settings: Omit<IndicatorSettings, 'providerIdentityId'>;
}

export interface IndicatorWrite {
  readonly collectionId: string;
  readonly provider: { readonly id: string; readonly name: string };
  /** Who writes (recorded with every version). */
  readonly actor: string;
  readonly nowMillis: number;
  readonly nowMicros: number;
  /** The submission's marking, which every item carries too (campaign and relationships get it). */
  readonly marking: Audience;
  readonly items: readonly PreparedItem[];
  readonly campaign?: string;
  readonly newId: () => string;
  /** Every object written passes the STIX validator as objects posted over TAXII do. */
  readonly validate: StixValidator;
  /** The collection's sharing rules (audiences, attribution), from the current policy. */
  readonly rules: SharingRules;
  /** The hub's own identity (creator of its definitions, and of everything where attribution is hidden). */
  readonly hubIdentityId: string;
}

/** The relationship from a re-listed indicator to the revoked one it replaces. */
export const RELISTED_RELATIONSHIP = 'related-to';

export type Versioned = { readonly object: Record<string, unknown> } & Audience;

const newStixId = (type: string) => () => `${type}--${randomUUID()}`;

export async function writeIndicators(objects: Pick<ObjectStore, 'writeLocked'>, write: IndicatorWrite): Promise<Map<number, ItemOutcome>> {
  const outcomes = new Map<number, ItemOutcome>();
  if (write.items.length === 0) return outcomes;
  return objects.writeLocked(write.collectionId, write.nowMicros, async (session) => {
    const provider = write.provider.id;
    const now = stixMillis(write.nowMillis);
    const { marking, rules } = write;
    const markingRefs = [TLP2_MARKING_REFS[marking.tlp]];
    const audience = audienceKey(marking.tlp, marking.recipients);
    const pending: Versioned[] = [];

    const creator = await publishCreator(session, write, rules.attribution, now, pending);
    const keys = write.items.map((item) => dedupKey(item.indicator));
    const keyed = await session.keyedIndicators(provider, keys);
    const heads = await session.heads([...keyed.values()]);
    let campaign: string | undefined;
    if (write.campaign !== undefined) {
      const name = write.campaign;
      const found = await hubObjectFor(session, rules, provider, marking, HUB_KEYS.campaignPrefix(provider, name), HUB_KEYS.campaign(provider, name, audience), 'campaign');
      campaign = found.id;
      if (!found.stored) pending.push({ object: campaignObject(campaign, name, creator, now, markingRefs), ...marking });
    }

    const seen = new Map<string, number>(); // key -> index of its first item
    const written: { index: number; id: string; version: string; outcome: 'created' | 'updated' }[] = [];
    const newKeys: { kind: string; value: string; objectId: string }[] = [];
    const relisted: { id: string; previous: StoredHead; narrowed: boolean }[] = [];
    write.items.forEach((item, position) => {
      const key = keys[position] as { kind: string; value: string };
      const keyText = indicatorKeyString(key);
      if (seen.has(keyText)) return; // settled below, once the first item's outcome is known
      seen.set(keyText, item.index);
      const content = indicatorContent(item.indicator, { ...item.settings, providerIdentityId: creator });
      const currentId = keyed.get(keyText);
      const head: StoredHead | undefined = currentId === undefined ? undefined : heads.get(currentId);
      const narrowed = head !== undefined && head.object.revoked !== true && !rules.covers({ ...item.settings, provider }, { tlp: head.tlp, recipients: head.recipients, provider });
      if (head !== undefined && head.object.revoked !== true && !narrowed) {
        if (hasContent(head.object, content)) {
          outcomes.set(item.index, { outcome: 'unchanged', id: head.id, version: String(head.object.modified) });
          return;
        }
        const modified = nextModified(write.nowMillis, head.version);
        pending.push({ object: indicatorVersion(head.id, String(head.object.created), modified, content), ...item.settings });
        written.push({ index: item.index, id: head.id, version: modified, outcome: 'updated' });
        return;
      }
      // New, re-listed after revocation (final in STIX), or narrowed: a new indicator, linked to the earlier one.
      const id = write.newId();
      pending.push({ object: indicatorVersion(id, now, now, content), ...item.settings });
      written.push({ index: item.index, id, version: now, outcome: 'created' });
      newKeys.push({ ...key, objectId: id });
      if (head !== undefined) relisted.push({ id, previous: head, narrowed });
    });

    for (const r of relisted.filter((x) => x.narrowed)) {
      const reason = `Superseded by ${r.id}: its provider narrowed who may read it (TLP:${marking.tlp.toUpperCase()}).`;
      const object = transitionVersion(r.previous.object, { to: 'revoked', reason }, nextModified(write.nowMillis, r.previous.version));
      pending.push({ object, tlp: r.previous.tlp, recipients: r.previous.recipients });
      await session.audit({
        actor: write.actor,
        action: LIFECYCLE_ACTIONS.revoked,
        entityType: 'indicator',
        entityId: r.previous.id,
        before: { collection_id: write.collectionId, version: r.previous.object.modified, state: 'active' },
        after: { collection_id: write.collectionId, version: object.modified, state: 'revoked', reason, via: 'submission' },
      });
    }

    const links: { link: { source: string; type: string; target: string }; audience: Audience; description?: string }[] = [
      ...relisted.map((r) => ({
        link: { source: r.id, type: RELISTED_RELATIONSHIP, target: r.previous.id },
        audience: rules.common({ ...marking, provider }, { tlp: r.previous.tlp, recipients: r.previous.recipients, provider }),
        description: r.narrowed ? 'Replaces the earlier indicator, revoked when its provider narrowed who may read it.' : 'Re-listed by its provider after the earlier indicator was revoked.',
      })),
      ...(campaign === undefined ? [] : written.map((w) => ({ link: { source: w.id, type: 'indicates', target: campaign }, audience: marking }))),
    ];
    for (const { link, audience: linkAudience, description } of links) {
      const id = await session.hubObjectId(HUB_KEYS.relationship(link.source, link.type, link.target), newStixId('relationship'));
      if ((await session.heads([id])).has(id)) continue;
      pending.push({ object: relationshipObject(id, link, creator, now, [TLP2_MARKING_REFS[linkAudience.tlp]], description), ...linkAudience });
    }
    const definitions = sharedDefinitions(write.hubIdentityId, pending.map((p) => TLP2_MARKING_REFS[p.tlp]));
    const present = await session.heads(definitions.map((d) => String(d.id)));
    pending.unshift(...definitions.filter((d) => !present.has(String(d.id))).map((object): Versioned => ({ object, tlp: 'clear', recipients: [] })));

    await appendAll(session, provider, write.actor, pending, write.validate, rules.guard);
    await session.setIndicatorKeys(provider, newKeys);
    for (const w of written) outcomes.set(w.index, { outcome: w.outcome, id: w.id, version: w.version });
    // Repeats of a value within one submission: the first settles it, the others are unchanged.
    write.items.forEach((item, position) => {
      if (outcomes.has(item.index)) return;
      const firstIndex = seen.get(indicatorKeyString(keys[position] as { kind: string; value: string })) as number;
      const firstOutcome = outcomes.get(firstIndex);
      if (firstOutcome === undefined || firstOutcome.outcome === 'rejected') throw new Error(`submission: no outcome for item ${firstIndex}`);
      outcomes.set(item.index, { outcome: 'unchanged', id: firstOutcome.id, version: firstOutcome.version, message: `same value as indicators[${firstIndex}]` });
    });
    return outcomes;
  });
}

/**
 * The creator the submission's objects name: the provider's identity for this audience (created, or
 * renamed, as needed), or the hub's identity where attribution is hidden.
 */
export async function publishCreator(session: CollectionWriteSession, write: Pick<IndicatorWrite, 'provider' | 'marking' | 'rules' | 'hubIdentityId' | 'nowMillis'>, attribution: Attribution, now: string, pending: Versioned[]): Promise<string> {
  if (attribution === 'hidden') return write.hubIdentityId;

  const { provider, marking } = write;
  const prefix = HUB_KEYS.identityPrefix(provider.id);
  const found = await hubObjectFor(session, write.rules, provider.id, marking, prefix, HUB_KEYS.identity(provider.id, audienceKey(marking.tlp, marking.recipients)), 'identity');
  if (!found.stored) pending.push({ object: organizationIdentity(found.id, provider, now, now, [TLP2_MARKING_REFS[marking.tlp]]), ...marking });
  for (const head of found.variants.values()) {
    if (head.object.name === provider.name) continue;
    const renamed = organizationIdentity(head.id, provider, String(head.object.created), nextModified(write.nowMillis, head.version), [TLP2_MARKING_REFS[head.tlp]]);
    pending.push({ object: renamed, tlp: head.tlp, recipients: head.recipients });
  }
  return found.id;
}

/**
 * The hub-made object (a provider's identity, a campaign) that objects for `audience` should name:
 * a stored variant under `prefix` that everyone in the audience may read (the one made for exactly
 * this audience first, else the first by key), or a new one under `key`, to be written by the caller;
 * with the stored variants' heads.
 */
async function hubObjectFor(
  session: CollectionWriteSession,
  rules: SharingRules,
  provider: string,
  audience: Audience,
  prefix: string,
  key: string,
  type: string,
): Promise<{ id: string; stored: boolean; variants: ReadonlyMap<string, StoredHead> }> {
  const prefer = preferringKey(key);
  const ids = [...(await session.hubObjectIds(prefix)).entries()].sort(([a], [b]) => prefer(a, b));
  const heads = await session.heads(ids.map(([, id]) => id));
  const covering = coveringVariant(storedVariants(ids, heads), key, rules, provider, audience);
  if (covering !== undefined) return { id: covering.id, stored: true, variants: heads };
  // None stored reaches the audience: the one under this audience's key (new: a stored one would have covered it).
  const id = await session.hubObjectId(key, newStixId(type));
  return { id, stored: heads.has(id), variants: heads };
}

/** A version the hub built, as the object store appends it (RED recipients only for RED). */
export function newVersionOf(p: Versioned, provider: string, actor: string): NewObjectVersion {
  return {
    id: String(p.object.id),
    type: String(p.object.type),
    specVersion: '2.1',
    version: parseMicros(String(p.object.modified ?? p.object.created)) as number,
    providerOrgId: provider,
    tlp: p.tlp,
    recipients: p.tlp === 'red' ? p.recipients : [],
    object: p.object,
    writtenBy: actor,
  };
}

/**
 * Appends the versions; each must be valid STIX and be stored anew, or be an identical copy of a
 * stored one (the session's lock makes anything else a bug of the hub, never of the submission,
 * whose values were checked already).
 */
export async function appendAll(session: CollectionWriteSession, provider: string, actor: string, pending: readonly Versioned[], validate: StixValidator, guard: AppendGuard): Promise<void> {
  for (const { object } of pending) {
    const result = validate(object);
    if (!result.ok) throw new Error(`submission: the hub built an invalid ${String(object.type)} ${String(object.id)}: ${problemsMessage(result.problems)}`);
  }
  const versions = pending.map((p) => newVersionOf(p, provider, actor));
  const stored = await session.append(provider, versions, guard);
  stored.forEach((outcome, i) => {
    const version = versions[i] as NewObjectVersion;
    // The hub's definitions stored before (by another organization, or by an earlier hub version) serve as they are.
    if (outcome.kind === 'added' || (outcome.kind !== 'refused' && version.type !== 'indicator')) return;
    throw new Error(`submission: version ${version.id} at ${version.version} was not stored (${outcome.kind === 'refused' ? outcome.reason : outcome.kind})`);
  });
}

