import type { TlpLevel } from '../tenancy';
import type { IndicatorKind } from '../indicators';
import { isIndicatorKind } from '../indicators/indicator-kinds';
import { analysisKeysOf } from './analysis-keys';
import { DEFAULT_CANDIDATE_THRESHOLDS, isCandidate, type CandidateThresholds } from './clustering';

/**
 * Early warning (issue 15 §3), the pure part: given a newly indexed indicator, its neighbours (active
 * indicator heads sharing an analysis key with it within the candidate window) and the campaigns
 * those neighbours indicate, which organizations are told what, per collection holding a neighbour.
 *
 * Every organization is judged alone, over what it may read: it hears nothing unless it may read the
 * new indicator and at least one neighbour; it "joins a campaign" when a neighbour it reads indicates
 * a campaign it reads (through a relationship it reads), else "joins a candidate" when the new
 * indicator and the members it reads reach the candidate thresholds: its neighbours and the members
 * sharing a value with those (two steps; grouping's clusters may grow further). Its notice in a collection C
 * names only the neighbours of C it reads, sizes count only what it reads, and the provider only where
 * attribution lets it know it. Organizations whose notices are identical form one group: one event.
 */

/** `hub.analysis.campaign_candidates` (issue 15 §2): the candidate thresholds early warning shares with grouping. */
export type ActivityThresholds = CandidateThresholds;
export const DEFAULT_ACTIVITY_THRESHOLDS: ActivityThresholds = DEFAULT_CANDIDATE_THRESHOLDS;

/** What decides who may read a stored object, and where it is. */
export interface StoredFacts {
  readonly collectionId: string;
  readonly providerOrgId: string;
  readonly tlp: TlpLevel;
  readonly recipients: readonly string[];
  readonly namedReaders: readonly string[];
}

export interface ActivityMember extends StoredFacts {
  readonly id: string;
  /** Identifies the submission that wrote it: its collection, provider and `created` (one per submission). */
  readonly submission: string;
}

export interface NewIndicator extends ActivityMember {
  readonly dateAdded: number;
  /** The STIX version (modified, integer microseconds). */
  readonly version: number;
  /** Its normalised values (feed entries), in order. */
  readonly values: readonly { readonly kind: string; readonly value: string }[];
}

export interface Neighbour extends ActivityMember {
  /** The analysis keys it shares with the new indicator. */
  readonly sharedKeys: readonly string[];
}

/** A member one step further: it shares a key with neighbours (`via`: their `<collection> <id>`), not with the new indicator. */
export interface FurtherMember extends ActivityMember {
  readonly via: readonly string[];
}

/** A neighbour's `indicates` relationship to a campaign, both heads, in the neighbour's collection. */
export interface CampaignLink {
  readonly collectionId: string;
  readonly indicatorId: string;
  readonly relationship: StoredFacts;
  readonly campaign: StoredFacts & { readonly id: string; readonly name: string };
}

export interface ActivityInput {
  readonly indicator: NewIndicator;
  readonly neighbours: readonly Neighbour[];
  /** Members connected to the new indicator through a neighbour (the candidate grows through them too). */
  readonly further?: readonly FurtherMember[];
  readonly campaigns: readonly CampaignLink[];
}

/** What the access policy says, per organization (organization-level scope, whatever its users' roles). */
export interface ActivityAudience {
  readonly organizations: readonly string[];
  reads(organizationId: string, object: StoredFacts): boolean;
  /** May the organization know who provided an object of this collection? */
  knowsProvider(organizationId: string, collectionId: string, providerOrgId: string): boolean;
}

/** The event's JSON document (not a STIX object). */
export interface CampaignActivityDocument {
  readonly type: 'campaign-activity';
  readonly indicator: {
    readonly id: string;
    readonly collection: string;
    readonly kind?: string;
    readonly value?: string;
    readonly tlp: TlpLevel;
    readonly provider?: string;
  };
  readonly joins: 'campaign' | 'candidate';
  readonly campaigns: readonly { readonly id: string; readonly name: string; readonly collection: string }[];
  /** The other members in this event's collection the recipients may read. */
  readonly members: readonly string[];
  /** The new indicator's values shared with those members. */
  readonly shared: readonly { readonly kind: string; readonly value: string }[];
  /** Over everything the recipients may read, the new indicator included. */
  readonly size: { readonly indicators: number; readonly submissions: number };
}

export interface ActivityNotice {
  /** The collection whose change feed carries it. */
  readonly collectionId: string;
  /** The organizations it is for (sorted); nobody else may read it. */
  readonly recipients: readonly string[];
  readonly document: CampaignActivityDocument;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Do the new indicator and these readable neighbours make a candidate? */
export function reachesCandidate(indicator: ActivityMember, neighbours: readonly ActivityMember[], thresholds: ActivityThresholds): { reached: boolean; indicators: number; submissions: number } {
  const ids = new Set([indicator.id, ...neighbours.map((n) => n.id)]);
  const submissions = new Set([indicator.submission, ...neighbours.map((n) => n.submission)]);
  const sizes = { indicators: ids.size, submissions: submissions.size };
  return { reached: isCandidate(sizes, thresholds), ...sizes };
}

/** The new indicator's values whose keys are among `keys`. */
function sharedValues(indicator: NewIndicator, keys: ReadonlySet<string>): { kind: string; value: string }[] {
  return indicator.values.filter((v) => isIndicatorKind(v.kind) && analysisKeysOf(v.kind as IndicatorKind, v.value).some((k) => keys.has(k.key))).map((v) => ({ kind: v.kind, value: v.value }));
}

/** One organization's notices, per collection (none when it is not to hear anything). */
function noticesOf(organizationId: string, input: ActivityInput, audience: ActivityAudience, thresholds: ActivityThresholds): Map<string, CampaignActivityDocument> {
  const notices = new Map<string, CampaignActivityDocument>();
  const { indicator } = input;
  if (!audience.reads(organizationId, indicator)) return notices;
  const direct = input.neighbours.filter((n) => n.id !== indicator.id && audience.reads(organizationId, n));
  if (direct.length === 0) return notices;
  const readableAt = new Set(direct.map((n) => `${n.collectionId} ${n.id}`));
  // The candidate grows through members it reads only: one it may not read never bridges to another.
  const further = (input.further ?? []).filter(
    (f) => f.id !== indicator.id && !readableAt.has(`${f.collectionId} ${f.id}`) && f.via.some((v) => readableAt.has(v)) && audience.reads(organizationId, f),
  );
  const readable: ActivityMember[] = [...direct, ...new Map(further.map((f) => [`${f.collectionId} ${f.id}`, f])).values()];
  const campaigns = new Map<string, { id: string; name: string; collection: string }>();
  for (const link of input.campaigns) {
    if (!readableAt.has(`${link.collectionId} ${link.indicatorId}`)) continue;
    if (!audience.reads(organizationId, link.relationship) || !audience.reads(organizationId, link.campaign)) continue;
    campaigns.set(`${link.collectionId} ${link.campaign.id}`, { id: link.campaign.id, name: link.campaign.name, collection: link.collectionId });
  }
  const size = reachesCandidate(indicator, readable, thresholds);
  if (campaigns.size === 0 && !size.reached) return notices;
  const first = indicator.values[0];
  const described = {
    id: indicator.id,
    collection: indicator.collectionId,
    ...(first !== undefined ? { kind: first.kind, value: first.value } : {}),
    tlp: indicator.tlp,
    ...(audience.knowsProvider(organizationId, indicator.collectionId, indicator.providerOrgId) ? { provider: indicator.providerOrgId } : {}),
  };
  const listed = [...campaigns.values()].sort((a, b) => byText(a.name, b.name) || byText(a.collection, b.collection) || byText(a.id, b.id));
  for (const collectionId of [...new Set(readable.map((n) => n.collectionId))].sort(byText)) {
    const members = readable.filter((n) => n.collectionId === collectionId);
    notices.set(collectionId, {
      type: 'campaign-activity',
      indicator: described,
      joins: campaigns.size > 0 ? 'campaign' : 'candidate',
      campaigns: listed,
      members: [...new Set(members.map((n) => n.id))].sort(byText),
      shared: sharedValues(indicator, new Set(direct.filter((n) => n.collectionId === collectionId).flatMap((n) => n.sharedKeys))),
      size: { indicators: size.indicators, submissions: size.submissions },
    });
  }
  return notices;
}

/** Every notice the new indicator gives rise to: per collection, one per group of organizations that get the same document. */
export function activityNotices(input: ActivityInput, audience: ActivityAudience, thresholds: ActivityThresholds = DEFAULT_ACTIVITY_THRESHOLDS): ActivityNotice[] {
  const groups = new Map<string, { collectionId: string; recipients: string[]; document: CampaignActivityDocument }>();
  for (const organizationId of [...new Set(audience.organizations)].sort(byText)) {
    for (const [collectionId, document] of noticesOf(organizationId, input, audience, thresholds)) {
      const key = `${collectionId}\u0000${JSON.stringify(document)}`;
      const group = groups.get(key);
      if (group !== undefined) group.recipients.push(organizationId);
      else groups.set(key, { collectionId, recipients: [organizationId], document });
    }
  }
  return [...groups.values()].sort((a, b) => byText(a.collectionId, b.collectionId) || byText(a.recipients.join(','), b.recipients.join(',')));
}
