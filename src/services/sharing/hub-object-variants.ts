import type { StoredHead } from '../../storage/object-store';
import type { Audience, SharingRules } from './sharing-rules';

/**
 * The stored variants of a hub-made object (a provider's identity, a campaign: one per audience it
 * was made for, each under its own key in the hub's key table), and which one objects for an
 * audience name. The unified submission and the TAXII 1.1 Inbox choose by the same rule.
 */

export interface HubObjectVariant {
  readonly key: string;
  readonly id: string;
  readonly audience: Audience;
}

/** The order variants are tried in for the audience of `key`: the one made for it first, then the others by key. */
export function preferringKey(key: string): (a: string, b: string) => number {
  return (a, b) => (a === key ? -1 : b === key ? 1 : a < b ? -1 : a > b ? 1 : 0);
}

/** The variants (key → id) that have a stored head, with the audience of that head. */
export function storedVariants(ids: Iterable<readonly [string, string]>, heads: ReadonlyMap<string, Pick<StoredHead, 'tlp' | 'recipients'>>): HubObjectVariant[] {
  return [...ids].flatMap(([key, id]) => {
    const head = heads.get(id);
    return head === undefined ? [] : [{ key, id, audience: { tlp: head.tlp, recipients: head.recipients } }];
  });
}

/** The first variant, in preferringKey(key) order, that everyone in `audience` (of `provider`) may read. */
export function coveringVariant(variants: readonly HubObjectVariant[], key: string, rules: Pick<SharingRules, 'covers'>, provider: string, audience: Audience): HubObjectVariant | undefined {
  const prefer = preferringKey(key);
  return [...variants].sort((a, b) => prefer(a.key, b.key)).find((v) => rules.covers({ ...v.audience, provider }, { ...audience, provider }));
}
