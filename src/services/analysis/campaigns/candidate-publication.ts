import { randomUUID } from 'node:crypto';
import type { CompiledPolicy } from '../../../access';
import { strictestMarking } from '../../../domain/analysis/campaign-marking';
import { hubError } from '../../../domain/errors';
import { actorName, isOperator, type Principal } from '../../../domain/principal';
import { campaignObject, HUB_KEYS, relationshipObject, sharedDefinitions } from '../../../domain/submission/hub-objects';
import { stixMillis } from '../../../domain/submission/indicator-object';
import type { Organization, TlpLevel } from '../../../domain/tenancy';
import { TLP2_MARKING_REFS } from '../../../domain/tlp';
import type { CollectionWriteSession, NewObjectVersion, ObjectStore } from '../../../storage/object-store';
import type { CrudRepository } from '../../../storage/tenancy-store';
import type { StixValidator } from '../../../validation/stix-validator';
import { problemsMessage } from '../../object-ingest-service';
import { newVersionOf, publishCreator, type Versioned } from '../../indicator-writer';
import type { HubIdentity } from '../../sharing/hub-identity';
import { rulesOf, type SharingRules } from '../../sharing/sharing-rules';
import type { CandidateMemberView, ComputedCandidate } from './candidate-listing';
import type { ConfirmOutcome, ConfirmRequest } from './campaign-candidate-service';

/**
 * Publishing a confirmed campaign candidate (issue 15 §2) through the hub's write path, in one
 * transaction over every member collection (writeLockedMany): in each, a STIX `campaign` (one id
 * everywhere; an existing one is reused where it is stored) and an `indicates` relationship from
 * each member, all marked at least as strictly as the strictest member. The campaign is provided by
 * the provider of most members in that collection; each relationship by its member's provider, for
 * those who may read both its member and the campaign (SharingRules.common: stricter still where a
 * member's readers and the campaign's differ, as in a vertical tree). The sharing guard has the last
 * word: a refusal is a 409 that says why, and nothing is written (one transaction).
 *
 * Attribution: the hub's identity when any member's collection hides attribution, or when an
 * operator confirms (an operator acts for the hub, not for its own organization, which reads none
 * of the members); else the confirming organization's identity, as its submissions name it.
 */

export interface PublishedObject {
  readonly collection: string;
  readonly type: string;
  readonly id: string;
  readonly tlp: TlpLevel;
}

export interface PublicationDeps {
  readonly objects: Pick<ObjectStore, 'writeLockedMany'>;
  readonly validate: StixValidator;
  readonly hubIdentity: HubIdentity;
  readonly organizations: Pick<CrudRepository<Organization>, 'get'>;
  readonly now: () => number;
}

type Pending = Versioned & { readonly provider: string };

export async function publishCampaign(deps: PublicationDeps, policy: CompiledPolicy, who: Principal, candidate: ComputedCandidate, request: ConfirmRequest): Promise<ConfirmOutcome> {
  const nowMillis = deps.now();
  const now = stixMillis(nowMillis);
  const marking = strictestMarking(candidate.members);
  const markingRefs = [TLP2_MARKING_REFS[marking.tlp]];
  const hubIdentityId = await deps.hubIdentity();
  const existing = request.campaign ?? candidate.campaign?.id;
  const campaignId = existing ?? `campaign--${randomUUID()}`;
  const name = request.campaign === undefined && candidate.campaign !== undefined ? candidate.campaign.name : request.name;
  const byCollection = new Map<string, CandidateMemberView[]>();
  for (const m of candidate.members) byCollection.set(m.collectionId, [...(byCollection.get(m.collectionId) ?? []), m]);
  const rulesFor = (collectionId: string) => {
    const cp = policy.collections.get(collectionId);
    if (cp === undefined) throw hubError('CONFLICT', `Collection ${collectionId} no longer exists; list the candidates again`);
    return rulesOf(cp);
  };
  const hidden = [...byCollection.keys()].some((c) => rulesFor(c).attribution === 'hidden');
  const organization = isOperator(who) || hidden ? undefined : await deps.organizations.get(who.organizationId);

  const written: PublishedObject[] = [];
  const collections = [...byCollection.keys()].sort();
  let createdBy = hubIdentityId;
  await deps.objects.writeLockedMany(collections, nowMillis * 1000, async (sessions) => {
    for (const collectionId of collections) {
      const session = sessions.get(collectionId) as CollectionWriteSession;
      const members = byCollection.get(collectionId) as CandidateMemberView[];
      const rules = rulesFor(collectionId);
      const pending: Pending[] = [];
      if (organization !== undefined) {
        const identities: Versioned[] = [];
        createdBy = await publishCreator(session, { provider: { id: organization.id, name: organization.name }, marking, rules, hubIdentityId, nowMillis }, rules.attribution, now, identities);
        pending.push(...identities.map((v) => ({ ...v, provider: organization.id })));
      }
      const stored = (await session.heads([campaignId])).get(campaignId);
      if (stored !== undefined && stored.object.type !== 'campaign') throw hubError('BAD_REQUEST', `${campaignId} is not a campaign`);
      const campaignProvider = stored?.providerOrgId ?? campaignProviderFor(members);
      const campaignAudience = stored !== undefined ? { tlp: stored.tlp, recipients: stored.recipients } : marking;
      if (stored === undefined) {
        const object = { ...campaignObject(campaignId, name, createdBy, now, markingRefs), ...(request.description !== undefined ? { description: request.description } : {}) };
        pending.push({ object, ...marking, provider: campaignProvider });
      }
      for (const m of members) {
        const link = { source: m.id, type: 'indicates', target: campaignId };
        const id = await session.hubObjectId(HUB_KEYS.relationship(link.source, link.type, link.target), () => `relationship--${randomUUID()}`);
        if ((await session.heads([id])).has(id)) continue;
        // Only those who may read both the member and the campaign read the link between them.
        const audience = rules.common({ ...marking, provider: m.providerOrgId }, { ...campaignAudience, provider: campaignProvider });
        pending.push({ object: relationshipObject(id, link, createdBy, now, [TLP2_MARKING_REFS[audience.tlp]]), ...audience, provider: m.providerOrgId });
      }
      const definitions = sharedDefinitions(hubIdentityId, pending.map((p) => TLP2_MARKING_REFS[p.tlp]));
      const present = await session.heads(definitions.map((d) => String(d.id)));
      const required = definitions.filter((d) => !present.has(String(d.id))).map((object): Pending => ({ object, tlp: 'clear', recipients: [], provider: campaignProvider }));
      await appendChecked(session, actorName(who), [...required, ...pending], deps.validate, rules);
      for (const p of pending) written.push({ collection: collectionId, type: String(p.object.type), id: String(p.object.id), tlp: p.tlp });
      await session.audit({
        actor: actorName(who),
        action: 'campaign-candidate.confirm',
        entityType: 'campaign',
        entityId: campaignId,
        before: null,
        after: { candidate: candidate.id, collection_id: collectionId, name, members: members.map((m) => m.id), tlp: marking.tlp, created_by_ref: createdBy },
      });
    }
  });
  return { candidate: candidate.id, campaign: { id: campaignId, name }, createdBy, marking, written };
}

/** The campaign's provider in a collection: the provider of most of its members there (ties: the earliest member's). */
function campaignProviderFor(members: readonly CandidateMemberView[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.providerOrgId, (counts.get(m.providerOrgId) ?? 0) + 1);
  let best = (members[0] as CandidateMemberView).providerOrgId;
  for (const [provider, count] of counts) if (count > (counts.get(best) ?? 0)) best = provider;
  return best;
}

/**
 * Appends the versions, grouped by provider in order; each must be valid STIX (the hub built it: an
 * invalid one is the hub's bug) and be stored, or the hub's shared definitions stored before. A
 * refusal by the sharing guard is the caller's conflict, with the guard's reason.
 */
async function appendChecked(session: CollectionWriteSession, actor: string, pending: readonly Pending[], validate: StixValidator, rules: SharingRules): Promise<void> {
  for (const { object } of pending) {
    const result = validate(object);
    if (!result.ok) throw new Error(`campaign confirmation: the hub built an invalid ${String(object.type)} ${String(object.id)}: ${problemsMessage(result.problems)}`);
  }
  for (let start = 0; start < pending.length; ) {
    const provider = (pending[start] as Pending).provider;
    let end = start;
    while (end < pending.length && (pending[end] as Pending).provider === provider) end++;
    const versions = pending.slice(start, end).map((p) => newVersionOf(p, provider, actor));
    const outcomes = await session.append(provider, versions, rules.guard);
    outcomes.forEach((outcome, i) => {
      const version = versions[i] as NewObjectVersion;
      if (outcome.kind === 'added') return;
      const definition = version.type === 'marking-definition' || version.type === 'extension-definition' || version.object.id === version.object.created_by_ref || version.type === 'identity';
      if (outcome.kind !== 'refused' && definition) return;
      const why = outcome.kind === 'refused' ? outcome.reason : outcome.kind === 'provided-by-another' ? 'another organization provides an object with this id here' : outcome.kind;
      throw hubError('CONFLICT', `The ${version.type} ${version.id} cannot be written to collection ${session.collectionId}: ${why}`);
    });
    start = end;
  }
}
