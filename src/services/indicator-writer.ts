import type { NormalisedIndicator } from '../domain/indicators';
import { campaignObject, HUB_DEFINITIONS, organizationIdentity, relationshipObject } from '../domain/submission/hub-objects';
import { hasContent, indicatorContent, indicatorVersion, nextModified, stixMillis, type IndicatorSettings } from '../domain/submission/indicator-object';
import { campaignId, organizationIdentityId } from '../domain/submission/stable-ids';
import type { ItemOutcome } from '../domain/submission/submission-document';
import type { TlpLevel } from '../domain/tenancy';
import { parseMicros } from '../domain/timestamps';
import { TLP2_MARKING_REFS } from '../domain/tlp';
import { indicatorKeyString, type CollectionWriteSession, type NewObjectVersion, type ObjectStore, type StoredHead } from '../storage/object-store';
import type { StixValidator } from '../validation/stix-validator';
import { problemsMessage } from './object-ingest-service';
import { dedupKey } from './submission-items';

/**
 * Stores submitted indicators under the collection's write lock, so that reading the current
 * indicator of a (kind, value), deciding, and writing its next version cannot race with another
 * submission or a lifecycle transition: a value never gets two indicators, and no update is lost.
 */

export interface PreparedItem {
  readonly index: number;
  readonly indicator: NormalisedIndicator;
  readonly settings: IndicatorSettings;
}

export interface IndicatorWrite {
  readonly collectionId: string;
  readonly provider: { readonly id: string; readonly name: string };
  /** Who writes (recorded with every version). */
  readonly actor: string;
  readonly nowMillis: number;
  readonly nowMicros: number;
  /** The submission's marking, which every item carries too (campaign and relationships get it). */
  readonly marking: { readonly tlp: TlpLevel; readonly recipients: readonly string[] };
  readonly items: readonly PreparedItem[];
  readonly campaign?: string;
  readonly newId: () => string;
  /** Every object written passes the STIX validator as objects posted over TAXII do. */
  readonly validate: StixValidator;
}

/** The relationship from a re-listed indicator to the revoked one it replaces. */
export const RELISTED_RELATIONSHIP = 'related-to';

type Versioned = { readonly object: Record<string, unknown>; readonly tlp: TlpLevel; readonly recipients: readonly string[] };

export async function writeIndicators(objects: Pick<ObjectStore, 'writeLocked'>, write: IndicatorWrite): Promise<Map<number, ItemOutcome>> {
  const outcomes = new Map<number, ItemOutcome>();
  if (write.items.length === 0) return outcomes;
  return objects.writeLocked(write.collectionId, write.nowMicros, async (session) => {
    const provider = write.provider.id;
    const now = stixMillis(write.nowMillis);
    const { marking } = write;
    const markingRefs = [TLP2_MARKING_REFS[marking.tlp]];

    const keys = write.items.map((item) => dedupKey(item.indicator));
    const keyed = await session.keyedIndicators(provider, keys);
    const identityId = organizationIdentityId(provider);
    const campaign = write.campaign === undefined ? undefined : campaignId(provider, write.campaign);
    const heads = await session.heads([...keyed.values(), identityId, ...HUB_DEFINITIONS.map((d) => d.id as string), ...(campaign ? [campaign] : [])]);

    const pending: Versioned[] = [];
    const clear = (object: Record<string, unknown>): Versioned => ({ object, tlp: 'clear', recipients: [] });
    for (const definition of HUB_DEFINITIONS) if (!heads.has(definition.id as string)) pending.push(clear({ ...definition }));
    const identity = heads.get(identityId);
    if (identity === undefined) pending.push(clear(organizationIdentity(write.provider, now, now)));
    else if (identity.object.name !== write.provider.name) {
      pending.push(clear(organizationIdentity(write.provider, String(identity.object.created), nextModified(write.nowMillis, identity.version))));
    }
    if (campaign !== undefined && !heads.has(campaign)) {
      pending.push({ object: campaignObject(campaign, write.campaign as string, identityId, now, markingRefs), ...marking });
    }

    const seen = new Map<string, number>(); // key -> index of its first item
    const written: { index: number; id: string; version: string; outcome: 'created' | 'updated' }[] = [];
    const newKeys: { kind: string; value: string; objectId: string }[] = [];
    const relisted: { id: string; previous: string }[] = [];
    write.items.forEach((item, position) => {
      const key = keys[position] as { kind: string; value: string };
      const keyText = indicatorKeyString(key);
      const earlier = seen.get(keyText);
      if (earlier !== undefined) return; // settled below, once the first item's outcome is known
      seen.set(keyText, item.index);
      const content = indicatorContent(item.indicator, item.settings);
      const currentId = keyed.get(keyText);
      const head: StoredHead | undefined = currentId === undefined ? undefined : heads.get(currentId);
      if (head !== undefined && head.object.revoked !== true) {
        if (hasContent(head.object, content)) {
          outcomes.set(item.index, { outcome: 'unchanged', id: head.id, version: String(head.object.modified) });
          return;
        }
        const modified = nextModified(write.nowMillis, head.version);
        pending.push({ object: indicatorVersion(head.id, String(head.object.created), modified, content), ...item.settings });
        written.push({ index: item.index, id: head.id, version: modified, outcome: 'updated' });
        return;
      }
      // New, or re-listed after revocation (final in STIX): a new indicator, linked to the revoked one.
      const id = write.newId();
      pending.push({ object: indicatorVersion(id, now, now, content), ...item.settings });
      written.push({ index: item.index, id, version: now, outcome: 'created' });
      newKeys.push({ ...key, objectId: id });
      if (head !== undefined) relisted.push({ id, previous: head.id });
    });

    const links = [
      ...relisted.map((r) => relationshipObject(r.id, RELISTED_RELATIONSHIP, r.previous, identityId, now, markingRefs, 'Re-listed by its provider after the earlier indicator was revoked.')),
      ...(campaign === undefined ? [] : written.map((w) => relationshipObject(w.id, 'indicates', campaign, identityId, now, markingRefs))),
    ];
    const existingLinks = await session.heads(links.map((l) => l.id as string));
    for (const link of links) if (!existingLinks.has(link.id as string)) pending.push({ object: link, ...marking });

    await appendAll(session, provider, write.actor, pending, write.validate);
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
 * Appends the versions; each must be valid STIX and be stored anew (the session's lock makes anything
 * else a bug of the hub, never of the submission, whose values were checked already).
 */
async function appendAll(session: CollectionWriteSession, provider: string, actor: string, pending: readonly Versioned[], validate: StixValidator): Promise<void> {
  for (const { object } of pending) {
    const result = validate(object);
    if (!result.ok) throw new Error(`submission: the hub built an invalid ${String(object.type)} ${String(object.id)}: ${problemsMessage(result.problems)}`);
  }
  const versions: NewObjectVersion[] = pending.map((p) => ({
    id: String(p.object.id),
    type: String(p.object.type),
    specVersion: '2.1',
    version: parseMicros(String(p.object.modified)) as number,
    providerOrgId: provider,
    tlp: p.tlp,
    recipients: p.tlp === 'red' ? p.recipients : [],
    object: p.object,
    writtenBy: actor,
  }));
  const stored = await session.append(provider, versions);
  stored.forEach((outcome, i) => {
    const version = versions[i] as NewObjectVersion;
    // Hub definitions and identities another organization wrote first are the same objects: fine.
    if (outcome.kind === 'added' || version.type !== 'indicator') return;
    throw new Error(`submission: version ${version.id} at ${version.version} was not stored (${outcome.kind})`);
  });
}

