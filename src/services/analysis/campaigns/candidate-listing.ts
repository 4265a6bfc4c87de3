import { collectionAccess, objectVisibleUnderScope, type CompiledPolicy } from '../../../access';
import { candidateId, clustersOf, isCandidate, rejectedBy, windowStart, type CandidateThresholds } from '../../../domain/analysis/clustering';
import { sharedValuesOf, type SharedValue } from '../../../domain/analysis/shared-values';
import type { Principal } from '../../../domain/principal';
import type { CampaignLink, CampaignStore, CandidateRejection, GraphHead, MemberFacts, ReadableCollection } from '../../../storage/campaign-store';
import type { CollectionService } from '../../collection-service';
import type { GraphView } from './shared-key-graph';

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
  /** What two or more members share, as values (a host name, an address, a hash…). */
  readonly shared: readonly SharedValue[];
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

/** A candidate before its values, campaign and status are looked up (those only for the page shown). */
export interface DraftCandidate {
  readonly id: string;
  /** Sorted by first added, then reference. */
  readonly members: readonly GraphHead[];
  readonly sharedKeys: readonly string[];
  readonly lastAdded: number;
}

export interface ReaderAudience {
  readonly readable: readonly ReadableCollection[];
  readonly attributed: ReadonlySet<string>;
}

/** May the reader read this head: objectVisibleUnderScope under its collection's scope. */
export function readableBy(audience: ReaderAudience): (head: GraphHead) => boolean {
  const scopes = new Map(audience.readable.map((r) => [r.collectionId, r.scope]));
  return (head) => {
    const scope = scopes.get(head.collectionId);
    return scope !== undefined && objectVisibleUnderScope(scope, { providerOrgId: head.providerOrgId, marking: head.tlp, recipients: head.recipients, namedReaders: head.namedReaders });
  };
}

/** What names an audience in candidate ids (and keeps its clusters): its collections with their read scopes. */
export const audienceTextOf = (audience: ReaderAudience): string => JSON.stringify(audience.readable.map((r) => [r.collectionId, r.scope]));

/**
 * What the reader's candidates are, worked out over the whole graph: only heads it may read, in the
 * window and not expired, are nodes; most recently active first. The hub keeps each audience's
 * candidates up to date incrementally (audience-clusters.ts), which is held to this.
 */
export function draftCandidates(view: GraphView, audience: ReaderAudience, thresholds: CandidateThresholds, nowMicros: number, secret: string): DraftCandidate[] {
  const readable = readableBy(audience);
  const since = windowStart(nowMicros, thresholds.windowDays);
  const keyed: { node: string; key: string }[] = [];
  for (const [ref, head] of view.nodes) {
    if (head.dateAdded < since || (head.validUntil !== null && head.validUntil <= nowMicros) || !readable(head)) continue;
    for (const key of view.keysOf(ref)) keyed.push({ node: ref, key });
  }
  const audienceText = audienceTextOf(audience);
  const drafts: DraftCandidate[] = [];
  for (const c of clustersOf(keyed)) {
    if (c.nodes.length < thresholds.minIndicators) continue;
    const members = c.nodes.map((n) => view.nodes.get(n) as GraphHead).sort((a, b) => a.firstAdded - b.firstAdded || (memberRef(a) < memberRef(b) ? -1 : 1));
    if (!isCandidate({ indicators: members.length, submissions: new Set(members.map((m) => m.submission)).size }, thresholds)) continue;
    drafts.push({ id: candidateId(secret, audienceText, memberRef(members[0] as GraphHead)), members, sharedKeys: c.shared, lastAdded: Math.max(...members.map((m) => m.dateAdded)) });
  }
  return drafts.sort(newestFirst);
}

/** Most recently active first; the id breaks ties (a cursor names a place in this order). */
export function newestFirst(a: { lastAdded: number; id: string }, b: { lastAdded: number; id: string }): number {
  return b.lastAdded - a.lastAdded || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Values, campaign links and rejections of these drafts only. */
export async function describeCandidates(deps: Pick<ListingDeps, 'store'>, who: Principal, audience: ReaderAudience, drafts: readonly DraftCandidate[], rejections: readonly CandidateRejection[]): Promise<ComputedCandidate[]> {
  if (drafts.length === 0) return [];
  const members = drafts.flatMap((c) => c.members);
  const values = await deps.store.valuesOf(members);
  const links = new Map<string, CampaignLink[]>();
  for (const l of await deps.store.campaignsOf(audience.readable, members)) {
    const ref = `${l.collectionId}/${l.indicatorId}`;
    links.set(ref, [...(links.get(ref) ?? []), l]);
  }
  const shows = (m: MemberFacts) => who.roles.has('operator') || audience.attributed.has(m.collectionId) || who.organizationId === m.providerOrgId;
  const node = (r: { collectionId: string; dateAdded: number }) => `${r.collectionId}/${r.dateAdded}`;
  return drafts.map((c) => {
    const earliest = c.members[0] as GraphHead;
    const refs = c.members.map(memberRef);
    const rejection = rejectedBy(refs, rejections);
    const campaign = rejection === undefined ? campaignOf(refs, links) : undefined;
    const memberValues = c.members.map((m) => values.get(node(m))).filter((v): v is { kind: string; value: string } => v !== undefined);
    return {
      id: c.id,
      status: rejection !== undefined ? 'rejected' : campaign !== undefined ? 'in-campaign' : 'open',
      members: c.members.map((m) => memberView(m, values.get(node(m)), shows(m))),
      shared: sharedValuesOf(c.sharedKeys, memberValues),
      sizes: {
        indicators: c.members.length,
        submissions: new Set(c.members.map((m) => m.submission)).size,
        providers: new Set(c.members.map((m) => m.providerOrgId)).size,
        collections: new Set(c.members.map((m) => m.collectionId)).size,
      },
      firstAdded: earliest.firstAdded,
      lastAdded: c.lastAdded,
      ...(rejection !== undefined ? { rejection } : {}),
      ...(campaign !== undefined ? { campaign } : {}),
    };
  });
}

function memberView(head: GraphHead, value: { kind: string; value: string } | undefined, showProvider: boolean): CandidateMemberView {
  const { namedReaders: _readers, validUntil: _validUntil, ...facts } = head;
  return { ...facts, ...(value !== undefined ? { kind: value.kind, value: value.value } : {}), ...(showProvider ? { provider: head.providerOrgId } : {}) };
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
