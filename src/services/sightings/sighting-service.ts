import type { CompiledPolicy } from '../../access';
import { hubError, type FieldProblem } from '../../domain/errors';
import { actorName, hasRole, isOperator, type Principal } from '../../domain/principal';
import type { Collection, TlpLevel } from '../../domain/tenancy';
import { formatMicros, parseMicros } from '../../domain/timestamps';
import type { ObjectStore, StoredHead } from '../../storage/object-store';
import type { SightingStore } from '../../storage/sighting-store';
import type { TenancyStore } from '../../storage/tenancy-store';
import type { StixValidator } from '../../validation/stix-validator';
import type { CollectionService } from '../collection-service';
import { collectionNamed } from '../collection-names';
import type { PolicyService } from '../policy-service';
import { hubIdentityOf, type HubIdentity } from '../sharing/hub-identity';
import { sharingRules, type Audience } from '../sharing/sharing-rules';
import { reportable, writeReports, type PlannedReport, type Reporter, type WrittenReport } from './report-writer';
import { falsePositiveObject, sightingObject } from './sighting-objects';
import { indicatorFigures, type IndicatorFigures } from './sighting-figures';

/**
 * Reports about shared indicators and what they add up to (issue 14 §2-3): sightings ("we saw it in
 * our logs") and false positives, made by people (hub API, CLI) and by `taxii-hub match --report`.
 *
 * Who may report: a consumer that may read the indicator now — no write permission on the collection
 * is needed, reporting is what readers do — and a provider about its own organization's indicators.
 * An indicator the reporter may not read is refused in the same words as one that does not exist.
 * Each report is stored in the collection as provided by the reporter's organization, so it travels
 * like any object (TAXII 2.1, the change feed, streams, webhooks), and the indicator's provider may
 * read it whatever its marking.
 */

export interface SightingItem {
  readonly indicator: string;
  readonly count?: number;
  readonly first_seen?: string;
  readonly last_seen?: string;
}

/** POST /collections/{collection}/sightings, as schemas/sightings-api.schema.json defines it. */
export interface SightingsRequest {
  readonly sightings: readonly SightingItem[];
  readonly marking?: TlpLevel;
  readonly recipients?: readonly string[];
}

/** POST /collections/{collection}/indicators/{id}/false-positive. */
export interface FalsePositiveRequest {
  readonly explanation: string;
  readonly marking?: TlpLevel;
  readonly recipients?: readonly string[];
}

export interface ReportedSightings {
  readonly collectionId: string;
  /** One per item sent, in order. */
  readonly sightings: readonly (WrittenReport & { readonly index: number })[];
}

/** An indicator whose figures are asked for, as a listing or a history knows it. */
export interface FiguresTarget {
  readonly id: string;
  readonly collectionId: string;
  /** Its provider organization, when the caller may know it. */
  readonly provider?: string;
}

export interface SightingService {
  report(who: Principal | undefined, collection: string, request: SightingsRequest): Promise<ReportedSightings>;
  falsePositive(who: Principal | undefined, collection: string, indicatorId: string, request: FalsePositiveRequest): Promise<WrittenReport & { readonly collectionId: string }>;
  /** The figures of one indicator the caller may read; NOT_FOUND otherwise. */
  figures(who: Principal | undefined, collection: string, indicatorId: string): Promise<{ readonly collectionId: string; readonly figures: IndicatorFigures }>;
  /** The reports (sightings, false positives) about one indicator the caller may read, newest first; NOT_FOUND as `figures`. */
  reports(who: Principal | undefined, collection: string, indicatorId: string): Promise<{ readonly collectionId: string; readonly reports: readonly ReportView[] }>;
  /** The figures of indicators the caller was just shown (a listing, a history), by indicator id. */
  figuresOf(who: Principal, targets: readonly FiguresTarget[]): Promise<ReadonlyMap<string, IndicatorFigures>>;
}

/** One report as a reader of the indicator sees it; `organization` as for figures' by_organization (and always one's own). */
export interface ReportView {
  readonly id: string;
  readonly type: 'sighting' | 'false-positive';
  readonly dateAdded: number;
  readonly marking: string;
  readonly organization?: string;
  readonly count?: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly explanation?: string;
}

/** The most reports one listing shows. */
export const REPORT_LIST_LIMIT = 200;

export interface SightingServiceDeps {
  readonly policy: Pick<PolicyService, 'current'>;
  readonly collections: Pick<CollectionService, 'get' | 'resolveForAction'>;
  readonly store: { readonly organizations: Pick<TenancyStore['organizations'], 'get'> };
  readonly objects: Pick<ObjectStore, 'writeLocked' | 'objectHistory' | 'hubIdentityId'>;
  readonly sightings: SightingStore;
  readonly validateStix: StixValidator;
  readonly hubIdentity?: HubIdentity;
  readonly now?: () => number;
}

/** The marking of a report when the reporter names none: the default. */
export const DEFAULT_REPORT_MARKING: TlpLevel = 'amber';

export const REPORT_MESSAGES = {
  notReportable: 'is not an indicator of this collection that you may report on',
  notPermitted: 'Reporting needs the consumer role (about indicators you may read) or the provider role (about your organization\'s own indicators)',
  noOrganization: 'Reports are made in the name of a member organization, and you act for none (the local CLI acts as the operator: use --url with a member\'s credentials)',
} as const;

export const AUDIT_ACTIONS = { sighting: 'sighting.report', falsePositive: 'indicator.false-positive' } as const;

const problem = (problems: readonly FieldProblem[]) => hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });

export function createSightingService(deps: SightingServiceDeps): SightingService {
  const now = deps.now ?? Date.now;
  const hubIdentity = deps.hubIdentity ?? hubIdentityOf(deps.objects);

  /** The collection, if the principal may see it (NOT_FOUND otherwise, as for any collection). */
  async function visibleCollection(who: Principal, idOrAlias: string): Promise<{ collection: Collection; policy: CompiledPolicy }> {
    const policy = await deps.policy.current();
    const found = collectionNamed(policy, idOrAlias, { who }).collection;
    const { collection } = await deps.collections.get(who, found.apiRootId, found.id);
    return { collection, policy };
  }

  async function reporterOf(who: Principal, collection: Collection): Promise<Reporter> {
    const consumer = hasRole(who, 'consumer');
    const provider = hasRole(who, 'provider');
    if (!consumer && !provider) throw hubError('FORBIDDEN', who.organizationId === '' ? REPORT_MESSAGES.noOrganization : REPORT_MESSAGES.notPermitted);
    const organization = await deps.store.organizations.get(who.organizationId);
    if (organization === undefined) throw hubError('FORBIDDEN', REPORT_MESSAGES.noOrganization);
    let scope: Reporter['scope'] = { kind: 'none' };
    if (consumer) {
      const read = await deps.collections.resolveForAction(who, collection.apiRootId, collection.id, 'read');
      // Reading everything as an operator is no ground for reporting: only what the organization itself may read.
      if (read.rule !== 'operator') scope = read.scope;
    }
    return { organization: { id: organization.id, name: organization.name }, actor: actorName(who), scope, reportsOnOwn: provider };
  }

  /** The marking asked for, with the problems of its recipients (only for TLP:RED, every one a known organization). */
  async function markingOf(request: { marking?: TlpLevel; recipients?: readonly string[] }): Promise<{ marking: Audience; problems: FieldProblem[] }> {
    const tlp = request.marking ?? DEFAULT_REPORT_MARKING;
    const problems: FieldProblem[] = [];
    if (tlp !== 'red' && request.recipients !== undefined) problems.push({ path: 'recipients', message: `is only for TLP:RED; TLP:${tlp.toUpperCase()} reaches its audience without names` });
    for (const [index, recipient] of (tlp === 'red' ? (request.recipients ?? []) : []).entries()) {
      if ((await deps.store.organizations.get(recipient)) === undefined) problems.push({ path: `recipients[${index}]`, message: `there is no organization "${recipient}"` });
    }
    return { marking: { tlp, recipients: tlp === 'red' ? [...new Set(request.recipients ?? [])].sort() : [] }, problems };
  }

  async function write(who: Principal | undefined, collectionRef: string, ids: readonly string[], marking: { marking?: TlpLevel; recipients?: readonly string[] }, plan: (reporter: Reporter, audience: Audience, heads: ReadonlyMap<string, StoredHead>, problems: FieldProblem[]) => PlannedReport[], action: string) {
    if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
    const { collection, policy } = await visibleCollection(who, collectionRef);
    const reporter = await reporterOf(who, collection);
    const asked = await markingOf(marking);
    const written = await writeReports(
      { objects: deps.objects, sightings: deps.sightings, validate: deps.validateStix, hubIdentity },
      { collectionId: collection.id, reporter, rules: sharingRules(policy, collection.id), nowMillis: now() },
      ids,
      (heads) => {
        // Every problem at once, the marking's with the items'; nothing is written when there is one.
        const problems = [...asked.problems];
        const planned = plan(reporter, asked.marking, heads, problems);
        if (problems.length > 0) throw problem(problems);
        return planned;
      },
      (report) => ({
        actor: reporter.actor,
        action,
        entityType: report.id.split('--')[0] as string,
        entityId: report.id,
        before: null,
        after: { collection_id: collection.id, indicator: report.indicatorId, organization: reporter.organization.id, tlp: report.audience.tlp, ...(report.audience.tlp === 'red' ? { recipients: report.audience.recipients } : {}) },
      }),
    );
    return { collectionId: collection.id, written };
  }

  async function readableIndicator(who: Principal, collectionRef: string, indicatorId: string) {
    const { collection } = await visibleCollection(who, collectionRef);
    const { scope } = await deps.collections.resolveForAction(who, collection.apiRootId, collection.id, 'read');
    const head = (await deps.objects.objectHistory(collection.id, scope, indicatorId)).filter((v) => v.object.type === 'indicator').at(-1);
    if (head === undefined) throw hubError('NOT_FOUND', `There is no indicator ${indicatorId} in collection ${collectionRef}`);
    return { collection, head };
  }

  const service: SightingService = {
    async report(who, collectionRef, request) {
      const { collectionId, written } = await write(
        who,
        collectionRef,
        request.sightings.map((s) => s.indicator),
        request,
        (reporter, marking, heads, problems) =>
          request.sightings.map((item, index): PlannedReport => {
            const path = `sightings[${index}]`;
            if (!reportable(reporter, heads.get(item.indicator))) problems.push({ path: `${path}.indicator`, message: REPORT_MESSAGES.notReportable });
            const first = item.first_seen === undefined ? undefined : parseMicros(item.first_seen);
            const last = item.last_seen === undefined ? undefined : parseMicros(item.last_seen);
            if (item.first_seen !== undefined && first === undefined) problems.push({ path: `${path}.first_seen`, message: 'must be an RFC 3339 timestamp such as 2026-12-01T08:15:00Z' });
            if (item.last_seen !== undefined && last === undefined) problems.push({ path: `${path}.last_seen`, message: 'must be an RFC 3339 timestamp such as 2026-12-01T09:40:00Z' });
            if (first !== undefined && last !== undefined && last < first) problems.push({ path: `${path}.last_seen`, message: 'must not be earlier than first_seen' });
            const content = {
              indicatorId: item.indicator,
              count: item.count ?? 1,
              ...(first !== undefined ? { firstSeen: formatMicros(first) } : {}),
              ...(last !== undefined ? { lastSeen: formatMicros(last) } : {}),
            };
            return { type: 'sighting', indicatorId: item.indicator, marking, build: (id, creator, created, audience) => sightingObject({ ...content, id }, creator, created, audience) };
          }),
        AUDIT_ACTIONS.sighting,
      );
      return { collectionId, sightings: written.map((w, index) => ({ ...w, index })) };
    },

    async falsePositive(who, collectionRef, indicatorId, request) {
      const { collectionId, written } = await write(
        who,
        collectionRef,
        [indicatorId],
        request,
        (reporter, marking, heads) => {
          if (!reportable(reporter, heads.get(indicatorId))) throw hubError('NOT_FOUND', `There is no indicator ${indicatorId} in collection ${collectionRef}`);
          return [{ type: 'opinion', indicatorId, marking, build: (id, creator, created, audience) => falsePositiveObject(id, indicatorId, request.explanation, creator, created, audience) }];
        },
        AUDIT_ACTIONS.falsePositive,
      );
      return { collectionId, ...(written[0] as WrittenReport) };
    },

    async figures(who, collectionRef, indicatorId) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      const { collection, head } = await readableIndicator(who, collectionRef, indicatorId);
      const figures = (await service.figuresOf(who, [{ id: indicatorId, collectionId: collection.id, provider: head.providerOrgId }])).get(indicatorId);
      return { collectionId: collection.id, figures: figures ?? indicatorFigures([], false) };
    },

    async reports(who, collectionRef, indicatorId) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      const { collection, head } = await readableIndicator(who, collectionRef, indicatorId);
      const { scope } = await deps.collections.resolveForAction(who, collection.apiRootId, collection.id, 'read');
      const hidden = (await deps.policy.current()).collections.get(collection.id)?.attribution === 'hidden';
      const detailed = isOperator(who) || (!hidden && head.providerOrgId === who.organizationId);
      const stored = await deps.sightings.reports(collection.id, indicatorId, scope, REPORT_LIST_LIMIT);
      return {
        collectionId: collection.id,
        reports: stored.map((r): ReportView => {
          const o = r.object;
          return {
            id: r.id,
            type: r.type === 'sighting' ? 'sighting' : 'false-positive',
            dateAdded: r.dateAdded,
            marking: r.tlp,
            ...(detailed || r.reporterOrgId === who.organizationId ? { organization: r.reporterOrgId } : {}),
            ...(r.type === 'sighting' ? { count: typeof o.count === 'number' ? o.count : 1 } : {}),
            ...(r.type === 'sighting' && typeof o.first_seen === 'string' ? { firstSeen: o.first_seen } : {}),
            ...(r.type === 'sighting' && typeof o.last_seen === 'string' ? { lastSeen: o.last_seen } : {}),
            ...(r.type === 'opinion' && typeof o.explanation === 'string' ? { explanation: o.explanation } : {}),
          };
        }),
      };
    },

    async figuresOf(who, targets) {
      const answer = new Map<string, IndicatorFigures>();
      const policy = await deps.policy.current();
      for (const collectionId of new Set(targets.map((t) => t.collectionId))) {
        const cp = policy.collections.get(collectionId);
        if (cp === undefined) continue;
        const { scope } = await deps.collections.resolveForAction(who, cp.collection.apiRootId, collectionId, 'read');
        const hidden = cp.attribution === 'hidden';
        const inCollection = targets.filter((t) => t.collectionId === collectionId);
        const rows = await deps.sightings.figures(collectionId, inCollection.map((t) => t.id), scope);
        for (const target of inCollection) {
          // Which member reported: operators, and the provider where the collection does not hide who provides (and so who reports).
          const detailed = isOperator(who) || (!hidden && target.provider === who.organizationId);
          answer.set(target.id, indicatorFigures(rows.filter((r) => r.indicatorId === target.id), detailed));
        }
      }
      return answer;
    },
  };
  return service;
}
