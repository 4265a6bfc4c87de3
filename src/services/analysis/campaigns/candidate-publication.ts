import { randomUUID } from 'node:crypto';
import type { CompiledPolicy } from '../../../access';
import { strictestMarking } from '../../../domain/analysis/campaign-marking';
import { hubError } from '../../../domain/errors';
import { actorName, isOperator, type Principal } from '../../../domain/principal';
import { campaignObject, HUB_KEYS, relationshipObject, sharedDefinitions } from '../../../domain/submission/hub-objects';
import { stixMillis } from '../../../domain/submission/indicator-object';
import type { Organization, TlpLevel } from '../../../domain/tenancy';
import { parseMicros } from '../../../domain/timestamps';
import { TLP2_MARKING_REFS } from '../../../domain/tlp';
import type { CollectionWriteSession, NewObjectVersion, ObjectStore } from '../../../storage/object-store';
import type { CrudRepository } from '../../../storage/tenancy-store';
import type { StixValidator } from '../../../validation/stix-validator';
import { problemsMessage } from '../../object-ingest-service';
import { publishCreator, type Versioned } from '../../indicator-writer';
import type { HubIdentity } from '../../sharing/hub-identity';
import { rulesOf, type SharingRules } from '../../sharing/sharing-rules';
import type { CandidateMemberView, ComputedCandidate } from './candidate-listing';
import type { ConfirmOutcome, ConfirmRequest } from './campaign-candidate-service';

/**
 * Publishing a confirmed campaign candidate (issue 15 §2) through the hub's write path, in one
 * transaction over every member collection (writeLockedMany): in each, a STIX `campaign` (one id
 * everywhere; an existing one is reused where it is stored) and an `indicates` relationship from
 * each member, all marked as strictly as the strictest member. Each relationship is provided by its
 * member's provider, so it reaches no one who cannot read the member; the campaign by a member
 * provider whose audience covers every relationship in that collection. The sharing guard has the
 * last word: a refusal is a 409 that says why, and nothing is written.
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
      let campaignProvider = stored?.providerOrgId;
      if (stored === undefined) {
        campaignProvider = campaignProviderFor(rules, members, marking);
        const object = { ...campaignObject(campaignId, name, createdBy, now, markingRefs), ...(request.description !== undefined ? { description: request.description } : {}) };
        pending.push({ object, ...marking, provider: campaignProvider });
      }
      for (const m of members) {
        const link = { source: m.id, type: 'indicates', target: campaignId };
        const id = await session.hubObjectId(HUB_KEYS.relationship(link.source, link.type, link.target), () => `relationship--${randomUUID()}`);
        if ((await session.heads([id])).has(id)) continue;
        pending.push({ object: relationshipObject(id, link, createdBy, now, markingRefs), ...marking, provider: m.providerOrgId });
      }
      const definitions = sharedDefinitions(hubIdentityId, [markingRefs[0] as string]);
      const present = await session.heads(definitions.map((d) => String(d.id)));
      const definitionProvider = campaignProvider ?? (members[0] as CandidateMemberView).providerOrgId;
      const required = definitions.filter((d) => !present.has(String(d.id))).map((object): Pending => ({ object, tlp: 'clear', recipients: [], provider: definitionProvider }));
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

/** The first member provider whose campaign (at the marking) every member's relationship's readers may read. */
function campaignProviderFor(rules: SharingRules, members: readonly CandidateMemberView[], marking: { tlp: TlpLevel; recipients: readonly string[] }): string {
  const providers = [...new Set(members.map((m) => m.providerOrgId))];
  const found = providers.find((p) => providers.every((q) => rules.covers({ ...marking, provider: p }, { ...marking, provider: q })));
  if (found === undefined) {
    throw hubError(
      'CONFLICT',
      `No one campaign object can be read by every reader of the relationships in this collection (members from ${providers.join(', ')} under TLP:${marking.tlp.toUpperCase()} reach different readers): confirm a candidate whose members one provider's readers all read`,
    );
  }
  return found;
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
    const versions: NewObjectVersion[] = pending.slice(start, end).map((p) => ({
      id: String(p.object.id),
      type: String(p.object.type),
      specVersion: '2.1',
      version: parseMicros(String(p.object.modified ?? p.object.created)) as number,
      providerOrgId: provider,
      tlp: p.tlp,
      recipients: p.tlp === 'red' ? p.recipients : [],
      object: p.object,
      writtenBy: actor,
    }));
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
