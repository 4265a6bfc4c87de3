import type { TlpLevel } from '../domain/tenancy';
import { objectReadRule, type ObjectFacts } from './access-decision';
import type { CollectionPolicy } from './compiled-policy';

/**
 * Audience comparisons between two objects of one collection: "may everyone who reads `narrower`
 * also read `wider`?". Two rules of sharing rest on it:
 * - a later version never narrows who can read an object (every earlier reader receives every later
 *   change, and the latest version is the same for every reader);
 * - an object never names (`*_ref`, `*_refs`) an object some of its readers cannot read.
 * Operators read everything and take no part. Both objects' markings are effective markings (an
 * unmarked object's is the collection's default).
 */

const RANK: Readonly<Record<TlpLevel, number>> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

/** True when every organization entitled to the collection that may read `narrower` may read `wider`. */
export function audienceCovers(cp: CollectionPolicy, wider: ObjectFacts, narrower: ObjectFacts): boolean {
  const w = wider.marking ?? cp.collection.defaultMarking;
  const n = narrower.marking ?? cp.collection.defaultMarking;
  // CLEAR and GREEN reach every organization entitled to the collection.
  if (w === 'clear' || w === 'green') return true;
  const readsWider = (org: string) => !cp.entitled.has(org) || objectReadRule(cp, org, { ...wider, marking: w }) !== undefined;
  // Named readers read `narrower` whatever its marking: the shortcuts below do not see them.
  if (narrower.namedReaders !== undefined && !narrower.namedReaders.every(readsWider)) return false;
  if (n === 'red') {
    // A RED object's readers are its provider and its named recipients: ask for each.
    return [narrower.providerOrgId, ...narrower.recipients].every(readsWider);
  }
  // Same provider, neither RED: AMBER+STRICT reaches a subset of AMBER's organizations (links never pass it down).
  // (A stricter level may still reach everyone the looser one does, e.g. AMBER among horizontal peers: then ask each organization.)
  if (wider.providerOrgId === narrower.providerOrgId && w !== 'red' && RANK[w] <= RANK[n]) return true;
  for (const org of cp.entitled.keys()) {
    if (objectReadRule(cp, org, { ...narrower, marking: n }) !== undefined && objectReadRule(cp, org, { ...wider, marking: w }) === undefined) return false;
  }
  return true;
}

/** The organizations (entitled to the collection) that may read `object` but not `other`: who a change would cut off. */
export function readersLost(cp: CollectionPolicy, object: ObjectFacts, other: ObjectFacts): string[] {
  const lost: string[] = [];
  for (const org of cp.entitled.keys()) {
    if (objectReadRule(cp, org, object) !== undefined && objectReadRule(cp, org, other) === undefined) lost.push(org);
  }
  return lost.sort();
}

/**
 * The marking for an object that names both `a` and `b` (a relationship between them): the stricter
 * of the two when one covers the other; otherwise TLP:RED naming exactly the organizations that read
 * both (the provider of `a` reads it as its own). `a` is the object the link is made for.
 */
export function commonAudience(cp: CollectionPolicy, a: ObjectFacts, b: ObjectFacts): { marking: TlpLevel; recipients: string[] } {
  const effective = (o: ObjectFacts) => ({ marking: o.marking ?? cp.collection.defaultMarking, recipients: [...o.recipients] });
  if (audienceCovers(cp, b, a)) return effective(a);
  if (audienceCovers(cp, a, b) && a.providerOrgId === b.providerOrgId) return effective(b);
  const both: string[] = [];
  for (const org of cp.entitled.keys()) {
    if (org !== a.providerOrgId && objectReadRule(cp, org, a) !== undefined && objectReadRule(cp, org, b) !== undefined) both.push(org);
  }
  return { marking: 'red', recipients: both.sort() };
}
