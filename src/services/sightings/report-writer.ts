import { randomUUID } from 'node:crypto';
import { objectVisibleUnderScope, type ReadScope } from '../../access';
import { audienceKey, sharedDefinitions } from '../../domain/submission/hub-objects';
import { stixMillis } from '../../domain/submission/indicator-object';
import { parseMicros } from '../../domain/timestamps';
import { TLP2_MARKING_REFS } from '../../domain/tlp';
import type { NewAuditEntry } from '../../storage/tenancy-store';
import type { NewObjectVersion, ObjectStore, StoredHead } from '../../storage/object-store';
import type { SightingStore } from '../../storage/sighting-store';
import type { StixValidator } from '../../validation/stix-validator';
import { appendAll, publishCreator, type Versioned } from '../indicator-writer';
import { problemsMessage } from '../object-ingest-service';
import type { Audience, SharingRules } from '../sharing/sharing-rules';

/**
 * Writes reports about indicators (sightings, false-positive opinions) as their reporter's
 * organization, in two steps:
 * 1. under the collection's write lock, read the indicators' heads, let the caller judge every item
 *    (nothing is written when one fails), and make sure the identity each report names exists: the
 *    reporter's identity for the report's audience, made or reused by the same rule the unified
 *    submission uses (publishCreator), or the hub's where attribution is hidden;
 * 2. append the reports through the sighting store, which needs no write permission (reporting is
 *    what readers do) and records the indicator's provider as a named reader of each.
 * An identity made in step 1 whose reports then fail is harmless: it names nobody's data, and a purge
 * removes hub-made objects nothing names.
 */

/** Who reports, and how they may read the collection. */
export interface Reporter {
  readonly organization: { readonly id: string; readonly name: string };
  readonly actor: string;
  /** The scope the reporter reads the collection under ({ kind: 'none' } for a provider-only principal). */
  readonly scope: ReadScope;
  /** May it report about its own organization's indicators without reading them (the provider role)? */
  readonly reportsOnOwn: boolean;
}

export interface ReportWriteDeps {
  readonly objects: Pick<ObjectStore, 'writeLocked'>;
  readonly sightings: Pick<SightingStore, 'appendReports'>;
  readonly validate: StixValidator;
  readonly hubIdentity: () => Promise<string>;
}

/** One report to write: about which indicator, with which marking asked for, and how to build its object. */
export interface PlannedReport {
  readonly type: 'sighting' | 'opinion';
  readonly indicatorId: string;
  readonly marking: Audience;
  readonly build: (id: string, creator: string, created: string, audience: Audience) => Record<string, unknown>;
}

export interface WrittenReport {
  readonly id: string;
  readonly indicatorId: string;
  /** The marking the report got: the one asked for, or narrower where that would reach organizations that may not read the indicator. */
  readonly audience: Audience;
}

/** May the reporter report about this head: an indicator it may read, or (provider role) its own organization's. */
export function reportable(reporter: Reporter, head: StoredHead | undefined): head is StoredHead {
  if (head === undefined || head.object.type !== 'indicator') return false;
  if (reporter.reportsOnOwn && head.providerOrgId === reporter.organization.id) return true;
  return objectVisibleUnderScope(reporter.scope, { providerOrgId: head.providerOrgId, marking: head.tlp, recipients: head.recipients });
}

/**
 * Writes the reports `plan` makes of the heads of `indicatorIds` (plan may throw to refuse the whole
 * request: nothing is written then). `audit` makes the audit record of each report written.
 */
export async function writeReports(
  deps: ReportWriteDeps,
  write: { readonly collectionId: string; readonly reporter: Reporter; readonly rules: SharingRules; readonly nowMillis: number },
  indicatorIds: readonly string[],
  plan: (heads: ReadonlyMap<string, StoredHead>) => readonly PlannedReport[],
  audit: (report: WrittenReport) => NewAuditEntry,
): Promise<WrittenReport[]> {
  const { collectionId, reporter, rules, nowMillis } = write;
  const created = stixMillis(nowMillis);
  const nowMicros = parseMicros(created) as number;
  const hubIdentityId = await deps.hubIdentity();
  const provider = reporter.organization.id;

  const prepared = await deps.objects.writeLocked(collectionId, nowMicros, async (session) => {
    const heads = await session.heads([...new Set(indicatorIds)]);
    const planned = plan(heads);
    const pending: Versioned[] = [];
    const creators = new Map<string, string>();
    const reports = planned.map((p) => {
      const head = heads.get(p.indicatorId) as StoredHead;
      // A report never reaches an organization that may not read the indicator it names (the sharing rules refuse it).
      const audience = rules.common({ ...p.marking, provider }, { tlp: head.tlp, recipients: head.recipients, provider: head.providerOrgId });
      return { ...p, audience, creatorAudience: creatorAudienceOf(rules, provider, audience, head.providerOrgId) };
    });
    for (const { creatorAudience } of reports) {
      const key = audienceKey(creatorAudience.tlp, creatorAudience.recipients);
      if (creators.has(key)) continue;
      creators.set(key, await publishCreator(session, { provider: reporter.organization, marking: creatorAudience, rules, hubIdentityId, nowMillis }, rules.attribution, created, pending));
    }
    const markings = [...pending.map((p) => p.tlp), ...reports.map((r) => r.audience.tlp)].map((tlp) => TLP2_MARKING_REFS[tlp]);
    const definitions = sharedDefinitions(hubIdentityId, markings);
    const present = await session.heads(definitions.map((d) => String(d.id)));
    pending.unshift(...definitions.filter((d) => !present.has(String(d.id))).map((object): Versioned => ({ object, tlp: 'clear', recipients: [] })));
    if (pending.length > 0) await appendAll(session, provider, reporter.actor, pending, deps.validate, rules.guard);
    return reports.map((r) => {
      const id = `${r.type}--${randomUUID()}`;
      const object = r.build(id, creators.get(audienceKey(r.creatorAudience.tlp, r.creatorAudience.recipients)) as string, created, r.audience);
      return { id, indicatorId: r.indicatorId, audience: r.audience, object };
    });
  });

  const versions: NewObjectVersion[] = prepared.map(({ object, audience }) => {
    const valid = deps.validate(object);
    if (!valid.ok) throw new Error(`reports: the hub built an invalid ${String(object.type)}: ${problemsMessage(valid.problems)}`);
    return {
      id: String(object.id),
      type: String(object.type),
      specVersion: '2.1',
      version: nowMicros,
      providerOrgId: provider,
      tlp: audience.tlp,
      recipients: audience.tlp === 'red' ? [...audience.recipients] : [],
      object,
      writtenBy: reporter.actor,
    };
  });
  const written = prepared.map(({ id, indicatorId, audience }) => ({ id, indicatorId, audience }));
  const outcomes = await deps.sightings.appendReports(collectionId, provider, versions, nowMicros, reporter.scope, {
    guard: rules.guard,
    audit: (stored) => written.filter((_, i) => stored[i]?.kind === 'added').map(audit),
  });
  outcomes.forEach((outcome, i) => {
    // Fresh random ids, audiences chosen under the rules: anything but 'added' is a bug of the hub, not of the report.
    if (outcome.kind !== 'added') throw new Error(`reports: ${versions[i]?.id} was not stored (${outcome.kind === 'refused' ? outcome.reason : outcome.kind})`);
  });
  return written;
}

/**
 * The audience of the identity a report names (created_by_ref, where_sighted_refs): every reader of
 * the report must read it, and the indicator's provider reads the report whatever its marking (a named
 * reader). A branch's AMBER report on a sibling's indicator is read by the sibling, which may not read
 * the branch's AMBER identity: then the narrowest wider audience that covers the provider too (for RED,
 * the provider added to its recipients).
 */
function creatorAudienceOf(rules: SharingRules, reporter: string, report: Audience, indicatorProvider: string): Audience {
  if (indicatorProvider === reporter) return report;
  const read = { ...report, provider: reporter, namedReaders: [indicatorProvider] };
  const candidates: Audience[] = [
    report,
    ...(report.tlp === 'red' ? [{ tlp: 'red' as const, recipients: [...new Set([...report.recipients, indicatorProvider])].sort() }] : []),
    { tlp: 'amber+strict', recipients: [] },
    { tlp: 'amber', recipients: [] },
    { tlp: 'green', recipients: [] },
  ];
  return candidates.find((c) => rules.covers({ ...c, provider: reporter }, read)) ?? { tlp: 'clear', recipients: [] };
}
