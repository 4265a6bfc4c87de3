import { audienceCovers, commonAudience, type CollectionPolicy, type CompiledPolicy, type ObjectFacts } from '../../access';
import { hubError } from '../../domain/errors';
import type { TlpLevel } from '../../domain/tenancy';
import type { AppendGuard, GuardedFacts, NewObjectVersion } from '../../storage/object-store';

/**
 * The sharing rules of one collection as the write paths apply them, under the collection's lock:
 * - a later version never narrows who may read the object (and an earlier one posted late is never
 *   wider than the latest): every reader of any version reads every later change;
 * - an object never names an object some of its readers cannot read, whichever arrives first.
 */

export type Attribution = 'attributed' | 'hidden';

export interface Audience {
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
}

/** An audience with its provider and, for a report, its named readers (who read it whatever its marking). */
export type ProvidedAudience = Audience & { readonly provider: string; readonly namedReaders?: readonly string[] };

export interface SharingRules {
  readonly attribution: Attribution;
  /** May everyone who reads `narrower` read `wider`? */
  covers(wider: ProvidedAudience, narrower: ProvidedAudience): boolean;
  /** The audience of an object naming both (`a` is the one it is made for). */
  common(a: ProvidedAudience, b: ProvidedAudience): Audience;
  /** The store-side guard of these rules. */
  readonly guard: AppendGuard;
}

export const SHARING_MESSAGES = {
  narrowing: (from: string, to: string) =>
    `this version would narrow who may read the object (${from} before, ${to} now), and a later version may never narrow it: ` +
    'revoke the object (a version with revoked: true under its current marking, which every earlier reader receives) ' +
    'and share a new object under the new marking, linked to the old one by a related-to relationship',
  olderWider: (from: string, to: string) =>
    `this earlier version would be readable by organizations that may not read the latest version (${from} here, ${to} latest): mark it at least as strictly as the latest version`,
  referenceNarrower: (id: string, marking: string) =>
    `the object names ${id} (${marking}), which some of its readers may not read: mark it at least as strictly as every object it names`,
  referrerWider: (id: string, marking: string) =>
    `${id} (${marking}) already names this object, and some of its readers could not read it: mark this object no more strictly than the objects that name it`,
} as const;

const describe = (f: { tlp: TlpLevel; recipients: readonly string[] }) =>
  `TLP:${f.tlp.toUpperCase()}${f.tlp === 'red' ? ` for ${f.recipients.length === 0 ? 'no one' : f.recipients.join(', ')}` : ''}`;

const facts = (a: ProvidedAudience): ObjectFacts => ({ providerOrgId: a.provider, marking: a.tlp, recipients: a.recipients, ...(a.namedReaders !== undefined ? { namedReaders: a.namedReaders } : {}) });
const stored = (f: GuardedFacts | NewObjectVersion): ProvidedAudience => ({ provider: f.providerOrgId, tlp: f.tlp, recipients: f.recipients, ...(f.namedReaders !== undefined ? { namedReaders: f.namedReaders } : {}) });

/** The rules of collection `collectionId` under `policy`; NOT_FOUND when the policy does not know it. */
export function sharingRules(policy: CompiledPolicy, collectionId: string): SharingRules {
  const cp = policy.collections.get(collectionId);
  if (cp === undefined) throw hubError('NOT_FOUND', `There is no collection ${collectionId}`);
  return rulesOf(cp);
}

export function rulesOf(cp: CollectionPolicy): SharingRules {
  const covers = (wider: ProvidedAudience, narrower: ProvidedAudience) => audienceCovers(cp, facts(wider), facts(narrower));
  const guard: AppendGuard = (version, context) => {
    const candidate = stored(version);
    const latest = context.latest;
    if (latest !== undefined && latest.version < version.version && !covers(candidate, stored(latest))) {
      return SHARING_MESSAGES.narrowing(describe(latest), describe(version));
    }
    if (latest !== undefined && latest.version > version.version && !covers(stored(latest), candidate)) {
      return SHARING_MESSAGES.olderWider(describe(version), describe(latest));
    }
    for (const target of context.referenced) {
      if (!covers(stored(target), candidate)) return SHARING_MESSAGES.referenceNarrower(target.id, describe(target));
    }
    for (const referrer of context.referrers) {
      if (!covers(candidate, stored(referrer))) return SHARING_MESSAGES.referrerWider(referrer.id, describe(referrer));
    }
    return undefined;
  };
  return {
    attribution: cp.attribution,
    covers,
    common: (a, b) => {
      const c = commonAudience(cp, facts(a), facts(b));
      return { tlp: c.marking, recipients: c.recipients };
    },
    guard,
  };
}
