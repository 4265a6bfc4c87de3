import { collectionAccess, type CompiledPolicy } from '../../../access';
import { candidateId, clustersOf, isCandidate, rejectedBy, windowStart, type CandidateThresholds } from '../../../domain/analysis/clustering';
import type { Principal } from '../../../domain/principal';
import type { CampaignLink, CampaignStore, CandidateRejection, MemberFacts, ReadableCollection, SharedKeyRow } from '../../../storage/campaign-store';
import type { CollectionService } from '../../collection-service';

/**
 * The campaign candidates of one reader (issue 15 §2): clusters computed only over the indicators
 * it may read, so a hidden indicator never bridges two readable ones, never counts in a size and
 * never appears. Each collection passes TAXII's read gate (an operator's read is audited there).
 */

export type CandidateStatus = 'open' | 'rejected' | 'in-campaign';

export interface CandidateMemberView extends MemberFacts {
  /** The provider organization, where attribution lets the reader know it. */
  readonly provider?: string;
}

export interface ComputedCandidate {
  readonly id: string;
  readonly status: CandidateStatus;
  readonly members: readonly CandidateMemberView[];
  /** The analysis keys two or more members share. */
  readonly shared: readonly string[];
  readonly sizes: { readonly indicators: number; readonly submissions: number; readonly providers: number; readonly collections: number };
  readonly firstAdded: number;
  readonly lastAdded: number;
  readonly rejection?: CandidateRejection;
  /** in-campaign: the campaign most members already indicate, and the members it does not have yet. */
  readonly campaign?: { readonly id: string; readonly name: string; readonly newMembers: readonly string[] };
}

export interface ListingDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly store: CampaignStore;
  readonly thresholds: CandidateThresholds;
  readonly secret: () => Promise<string>;
}

/** `<collection id>/<object id>`: how rejections and campaigns name a member. */
export const memberRef = (m: { readonly collectionId: string; readonly id: string }) => `${m.collectionId}/${m.id}`;

/** Every collection the reader may read, each with its read scope (through TAXII's read gate). */
export async function readableCollections(deps: Pick<ListingDeps, 'collections'>, policy: CompiledPolicy, who: Principal): Promise<{ readable: ReadableCollection[]; attributed: Set<string> }> {
  const readable: ReadableCollection[] = [];
  const attributed = new Set<string>();
  const ids = [...policy.collections.values()].filter((cp) => collectionAccess(policy, who, cp.collection.id)?.canRead === true).sort((a, b) => (a.collection.id < b.collection.id ? -1 : 1));
  for (const cp of ids) {
    const { scope } = await deps.collections.resolveForAction(who, cp.collection.apiRootId, cp.collection.id, 'read');
    if (scope.kind === 'none') continue;
    readable.push({ collectionId: cp.collection.id, scope });
    if (cp.attribution === 'attributed') attributed.add(cp.collection.id);
  }
  return { readable, attributed };
}

export async function computeCandidates(deps: ListingDeps, policy: CompiledPolicy, who: Principal, nowMicros: number): Promise<ComputedCandidate[]> {
  const { readable, attributed } = await readableCollections(deps, policy, who);
  if (readable.length === 0) return [];
  const rows = await deps.store.sharedKeys(readable, windowStart(nowMicros, deps.thresholds.windowDays), nowMicros);
  const node = (r: { collectionId: string; dateAdded: number }) => `${r.collectionId}/${r.dateAdded}`;
  const facts = new Map<string, SharedKeyRow>();
  for (const r of rows) facts.set(node(r), r);
  const clusters = clustersOf(rows.map((r) => ({ node: node(r), key: r.key }))).filter((c) => c.nodes.length >= deps.thresholds.minIndicators);
  const sized = clusters
    .map((c) => ({ shared: c.shared, members: c.nodes.map((n) => facts.get(n) as SharedKeyRow) }))
    .filter((c) => isCandidate({ indicators: c.members.length, submissions: new Set(c.members.map((m) => m.submission)).size }, deps.thresholds));
  if (sized.length === 0) return [];
  const values = await deps.store.valuesOf(sized.flatMap((c) => c.members));
  const links = new Map<string, CampaignLink[]>();
  for (const l of await deps.store.campaignsOf(readable, sized.flatMap((c) => c.members))) {
    const ref = `${l.collectionId}/${l.indicatorId}`;
    links.set(ref, [...(links.get(ref) ?? []), l]);
  }
  const rejections = await deps.store.rejections();
  const secret = await deps.secret();
  const audience = JSON.stringify(readable.map((r) => [r.collectionId, r.scope]));
  const shows = (m: MemberFacts) => who.roles.has('operator') || attributed.has(m.collectionId) || who.organizationId === m.providerOrgId;
  return sized.map((c) => {
    const members = [...c.members].sort((a, b) => a.firstAdded - b.firstAdded || (memberRef(a) < memberRef(b) ? -1 : 1));
    const earliest = members[0] as MemberFacts;
    const refs = members.map(memberRef);
    const rejection = rejectedBy(refs, rejections);
    const campaign = rejection === undefined ? campaignOf(refs, links) : undefined;
    return {
      id: candidateId(secret, audience, memberRef(earliest)),
      status: rejection !== undefined ? 'rejected' : campaign !== undefined ? 'in-campaign' : 'open',
      members: members.map((m) => memberView(m, values.get(node(m)), shows(m))),
      shared: c.shared,
      sizes: {
        indicators: members.length,
        submissions: new Set(members.map((m) => m.submission)).size,
        providers: new Set(members.map((m) => m.providerOrgId)).size,
        collections: new Set(members.map((m) => m.collectionId)).size,
      },
      firstAdded: earliest.firstAdded,
      lastAdded: Math.max(...members.map((m) => m.dateAdded)),
      ...(rejection !== undefined ? { rejection } : {}),
      ...(campaign !== undefined ? { campaign } : {}),
    };
  });
}

function memberView(row: SharedKeyRow, value: { kind: string; value: string } | undefined, showProvider: boolean): CandidateMemberView {
  const { key: _key, ...facts } = row;
  return { ...facts, ...(value !== undefined ? { kind: value.kind, value: value.value } : {}), ...(showProvider ? { provider: row.providerOrgId } : {}) };
}

/** The campaign that most of the members indicate already (ties: the smaller id), with the members it lacks. */
function campaignOf(refs: readonly string[], links: ReadonlyMap<string, readonly CampaignLink[]>): ComputedCandidate['campaign'] {
  const by = new Map<string, { name: string; members: Set<string> }>();
  for (const ref of refs) {
    for (const l of links.get(ref) ?? []) {
      const entry = by.get(l.campaignId) ?? { name: l.name, members: new Set<string>() };
      entry.members.add(ref);
      by.set(l.campaignId, entry);
    }
  }
  const [best] = [...by.entries()].sort(([a, x], [b, y]) => y.members.size - x.members.size || (a < b ? -1 : 1));
  if (best === undefined) return undefined;
  const [id, { name, members }] = best;
  return { id, name, newMembers: refs.filter((r) => !members.has(r)) };
}
