import { randomUUID } from 'node:crypto';
import { audienceKey, HUB_KEYS, organizationIdentity } from '../../domain/submission/hub-objects';
import { stixMillis } from '../../domain/submission/indicator-object';
import { parseMicros } from '../../domain/timestamps';
import { TLP2_MARKING_REFS, type TlpLevel } from '../../domain/tlp';
import type { CollectionWriteSession, NewObjectVersion } from '../../storage/object-store';
import { coveringVariant, storedVariants } from '../sharing/hub-object-variants';
import type { Audience, SharingRules } from '../sharing/sharing-rules';

/**
 * The creator (`created_by_ref`) of the indicators an Inbox_Message stores, as the unified submission
 * names it: the provider's identity made for the indicator's audience (a stored variant everyone in
 * the audience may read, else a new one kept in the hub's key table), or the hub's identity where
 * the collection hides attribution. Unlike a unified submission, one message may carry several
 * markings, so there is one creator per audience.
 */

/** TLP:RED is refused in the Inbox (STIX 1.x cannot name its recipients). */
const INBOX_AUDIENCES: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict'];

export interface CreatorsRequest {
  readonly provider: { readonly id: string; readonly name: string };
  readonly rules: SharingRules;
  readonly hubIdentityId: string;
  readonly nowMillis: number;
  readonly actor: string;
  readonly audiences: readonly Audience[];
}

export interface Creators {
  /** The creator of objects for an audience, by audienceKey. */
  readonly byAudience: ReadonlyMap<string, string>;
  /** New identities to store before the objects naming them. */
  readonly pending: readonly NewObjectVersion[];
}

export async function inboxCreators(session: CollectionWriteSession, request: CreatorsRequest): Promise<Creators> {
  const { provider, rules } = request;
  const byAudience = new Map<string, string>();
  const keys = [...new Map(request.audiences.map((a) => [audienceKey(a.tlp, a.recipients), a])).entries()];
  if (rules.attribution === 'hidden') {
    for (const [key] of keys) byAudience.set(key, request.hubIdentityId);
    return { byAudience, pending: [] };
  }
  // The provider's identities made for the audiences an Inbox indicator can have (exact keys: the
  // key table is read through its index, however many keys the collection holds).
  const variants = await session.knownHubObjectIds(INBOX_AUDIENCES.map((tlp) => HUB_KEYS.identity(provider.id, audienceKey(tlp, []))));
  const heads = await session.heads([...variants.values()]);
  const stored = storedVariants(variants, heads);
  const pending: NewObjectVersion[] = [];
  const now = stixMillis(request.nowMillis);
  for (const [key, audience] of keys) {
    const identityKey = HUB_KEYS.identity(provider.id, key);
    const covering = coveringVariant(stored, identityKey, rules, provider.id, audience);
    if (covering !== undefined) {
      byAudience.set(key, covering.id);
      continue;
    }
    const id = await session.hubObjectId(identityKey, () => `identity--${randomUUID()}`);
    const object = organizationIdentity(id, provider, now, now, [TLP2_MARKING_REFS[audience.tlp]]);
    pending.push({
      id,
      type: 'identity',
      specVersion: '2.1',
      version: parseMicros(now) as number,
      providerOrgId: provider.id,
      tlp: audience.tlp,
      recipients: audience.tlp === 'red' ? audience.recipients : [],
      object,
      writtenBy: request.actor,
    });
    stored.push({ key: identityKey, id, audience });
    byAudience.set(key, id);
  }
  return { byAudience, pending };
}
