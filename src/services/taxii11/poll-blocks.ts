import type { CompiledPolicy } from '../../access';
import type { ReadScope } from '../../access/read-scope';
import { isOperator, type Principal } from '../../domain/principal';
import type { Organization } from '../../domain/tenancy';
import type { FeedRecord, FeedStore } from '../../storage/feed-store';
import type { CrudRepository } from '../../storage/tenancy-store';
import type { HubIdentity } from '../sharing/hub-identity';

/**
 * Content blocks of a TAXII 1.1 poll answer: each readable indicator record rendered as one block by
 * an injected renderer (the STIX 2.1 → 1.2 bridge in production). A record the renderer cannot map
 * (it answers undefined, or throws) is left out and counted (`onUnmapped`): it never makes a poll
 * fail. So a part may hold fewer blocks than the records it covers (P-17: Record_Count ≥ blocks).
 */

/** Who the renderer names as the information source of a record. */
export interface BlockSource {
  readonly name: string;
  /** The STIX 2.1 identity standing for the source, when there is one. */
  readonly identityId?: string;
}

export interface BlockCampaign {
  readonly id: string;
  readonly name: string;
}

export interface BlockInput {
  readonly record: FeedRecord;
  /** The record's object, parsed. */
  readonly object: Readonly<Record<string, unknown>>;
  /** The content binding to render in (one of OFFERED_CONTENT_BINDINGS). */
  readonly bindingId: string;
  readonly reader: Principal;
  /**
   * The hub (its name and identity) where the object's creator is the hub's identity or attribution is
   * hidden from the reader; otherwise the providing organization's name and the object's creator.
   */
  readonly source: BlockSource;
  /** Campaigns the indicator `indicates`, as far as the reader may read them. */
  readonly campaigns: readonly BlockCampaign[];
  /** Whether the reader may know who provides the record (attribution shown, its own, or an operator). */
  readonly attributionShown: boolean;
}

/** Renders one record in the block's binding; undefined when the record does not map. */
export type BlockRenderer = (input: BlockInput) => { readonly contentXml: string } | undefined;

export interface PollBlock {
  readonly bindingId: string;
  readonly contentXml: string;
  readonly timestampLabel: number;
}

export interface BlockRenderingDeps {
  readonly feed: Pick<FeedStore, 'indicatedCampaigns'>;
  readonly organizations: Pick<CrudRepository<Organization>, 'list'>;
  readonly hubIdentity: HubIdentity;
  /** The hub's name, the source of what it shares without attribution. */
  readonly hubName: string;
  readonly renderBlock: BlockRenderer;
  /** Told how many records of one answer did not map (a metric counts them). */
  readonly onUnmapped?: (count: number) => void;
  /** Told about a renderer that threw (the record is counted as unmapped). */
  readonly onRenderError?: (error: unknown, record: FeedRecord) => void;
}

export interface BlockRequest {
  readonly reader: Principal;
  readonly policy: CompiledPolicy;
  readonly collectionId: string;
  readonly scope: ReadScope;
  readonly bindingId: string;
}

/** Renders `records` in label order: one query for their campaigns, one for the organizations' names. */
export async function renderBlocks(deps: BlockRenderingDeps, request: BlockRequest, records: readonly FeedRecord[]): Promise<PollBlock[]> {
  if (records.length === 0) return [];
  const { reader, policy, collectionId, scope, bindingId } = request;
  const [hubId, organizations, indicated] = await Promise.all([
    deps.hubIdentity(),
    deps.organizations.list(),
    deps.feed.indicatedCampaigns(collectionId, scope, [...new Set(records.map((r) => r.id))]),
  ]);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const campaigns = new Map<string, BlockCampaign[]>();
  for (const c of indicated) {
    const list = campaigns.get(c.indicatorId) ?? [];
    list.push({ id: c.campaignId, name: c.name });
    campaigns.set(c.indicatorId, list);
  }
  // A collection the policy does not know hides attribution (as attributionOf does).
  const hidden = (policy.collections.get(collectionId)?.attribution ?? 'hidden') === 'hidden';
  const hub: BlockSource = { name: deps.hubName, identityId: hubId };

  const blocks: PollBlock[] = [];
  let unmapped = 0;
  for (const record of records) {
    const object = JSON.parse(record.json) as Record<string, unknown>;
    const creator = typeof object.created_by_ref === 'string' ? object.created_by_ref : undefined;
    const shown = !hidden || isOperator(reader) || reader.organizationId === record.providerOrgId;
    const source: BlockSource =
      creator === hubId || !shown ? hub : { name: names.get(record.providerOrgId) ?? record.providerOrgId, ...(creator === undefined ? {} : { identityId: creator }) };
    let rendered: { readonly contentXml: string } | undefined;
    try {
      rendered = deps.renderBlock({ record, object, bindingId, reader, source, campaigns: campaigns.get(record.id) ?? [], attributionShown: shown });
    } catch (error) {
      deps.onRenderError?.(error, record);
      rendered = undefined;
    }
    if (rendered === undefined) unmapped++;
    else blocks.push({ bindingId, contentXml: rendered.contentXml, timestampLabel: record.dateAdded });
  }
  if (unmapped > 0) deps.onUnmapped?.(unmapped);
  return blocks;
}
