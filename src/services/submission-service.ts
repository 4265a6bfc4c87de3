import { randomUUID } from 'node:crypto';
import { hubError, type FieldProblem } from '../domain/errors';
import { DEFAULT_VALIDITY_DAYS, type IndicatorKind } from '../domain/indicators';
import { actorName, type Principal } from '../domain/principal';
import type { SubmissionDocument } from '../domain/submission/submission-document';
import type { ItemOutcome } from '../domain/submission/submission-document';
import type { Collection } from '../domain/tenancy';
import { formatMicros, nowMicros, parseMicros } from '../domain/timestamps';
import { indicatorKeyString, type ObjectStore } from '../storage/object-store';
import type { TenancyStore } from '../storage/tenancy-store';
import type { StixValidator } from '../validation/stix-validator';
import type { SubmissionValidator } from '../validation/submission-validator';
import type { WarningHit, WarningLists } from '../domain/warning-lists';
import type { CollectionService } from './collection-service';
import { collectionNamed } from './collection-names';
import type { PolicyService } from './policy-service';
import { sharingRules } from './sharing/sharing-rules';
import { hubIdentityOf, type HubIdentity } from './sharing/hub-identity';
import { writeIndicators, type PreparedItem } from './indicator-writer';
import { dedupKey, normaliseItems } from './submission-items';

/** The answer to a unified submission: one outcome per submitted indicator, in order. */
export interface SubmissionResult {
  readonly collectionId: string;
  readonly items: readonly (ItemOutcome & { readonly index: number; readonly kind?: string; readonly value?: string })[];
  readonly summary: Readonly<Record<'created' | 'updated' | 'unchanged' | 'rejected', number>>;
}

export interface SubmissionService {
  /**
   * Stores a unified submission as the principal's organization. VALIDATION_FAILED for a document
   * that cannot be read as a whole; otherwise every item has an outcome, and each valid item is
   * stored (or recognised as unchanged) even when others are rejected.
   */
  submit(who: Principal | undefined, body: unknown): Promise<SubmissionResult>;
  /**
   * Checks a unified submission exactly as `submit` does (the same schema, document checks, write
   * permission and normalisation) and stores nothing: each item accepted with its canonical value and
   * warnings, or rejected with the same problems `submit` would give.
   */
  check(who: Principal | undefined, body: unknown): Promise<SubmissionCheck>;
}

/** One item as a check judges it: accepted (with its canonical value) or rejected, as `submit` would. */
export type CheckedItem =
  | {
      readonly index: number;
      readonly kind: string;
      /** The canonical value, as it would be stored. */
      readonly value: string;
      readonly algorithm?: string;
      readonly outcome: 'accepted';
      /** The value sent differs from the canonical one. */
      readonly normalised: boolean;
      /** The index of an earlier item with the same canonical value (stored once). */
      readonly duplicateOf?: number;
      readonly warnings?: readonly WarningHit[];
    }
  | { readonly index: number; readonly kind?: string; readonly value?: string; readonly outcome: 'rejected'; readonly problems: readonly FieldProblem[] };

/** The answer to a check: what a submission would do with each item, nothing stored. */
export interface SubmissionCheck {
  readonly collectionId: string;
  readonly items: readonly CheckedItem[];
  readonly summary: Readonly<Record<'accepted' | 'rejected', number>>;
}

export interface SubmissionServiceDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly store: { readonly collections: Pick<TenancyStore['collections'], 'get'>; readonly organizations: Pick<TenancyStore['organizations'], 'get'> };
  readonly objects: Pick<ObjectStore, 'writeLocked' | 'hubIdentityId'>;
  /** The hub's identity (one per hub, shared by the services); from `objects` when not given. */
  readonly hubIdentity?: HubIdentity;
  /** The access policy: audiences and attribution of the collection written to. */
  readonly policy: Pick<PolicyService, 'current'>;
  readonly validate: SubmissionValidator;
  /** The STIX validator every written object passes (shared with the TAXII path: compiling it is slow). */
  readonly validateStix: StixValidator;
  /** Days an indicator stays valid when the submission gives no valid_until, per kind. */
  readonly validityDays?: Readonly<Record<IndicatorKind, number>>;
  readonly now?: () => number;
  /** The warning lists a stored value is checked against (its outcome then carries `warnings`); none when absent. */
  readonly warningLists?: Pick<WarningLists, 'check'>;
  /** Told the outcome counts of every stored submission (metrics). */
  readonly onSubmitted?: (summary: SubmissionResult['summary']) => void;
}

const DAY_MICROS = 86_400_000_000;

export function createSubmissionService(deps: SubmissionServiceDeps): SubmissionService {
  const hubIdentity = deps.hubIdentity ?? hubIdentityOf(deps.objects);
  const now = deps.now ?? Date.now;
  const validity = deps.validityDays ?? DEFAULT_VALIDITY_DAYS;

  /** The body's `collection`, an id or an alias (the same resolver as TAXII's), if `who` may write to it. */
  async function targetCollection(who: Principal | undefined, name: string): Promise<Collection> {
    const stored = collectionNamed(await deps.policy.current(), name, who === undefined ? {} : { who }, 'collection').collection;
    const { collection } = await deps.collections.resolveForAction(who, stored.apiRootId, stored.id, 'write');
    return collection;
  }

  /** The document's own checks beyond the schema; every problem at once. */
  async function documentProblems(doc: SubmissionDocument): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const from = parseMicros(doc.valid_from);
    const until = doc.valid_until === undefined ? undefined : parseMicros(doc.valid_until);
    if (from === undefined) problems.push({ path: 'valid_from', message: 'must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z' });
    if (doc.valid_until !== undefined && until === undefined) problems.push({ path: 'valid_until', message: 'must be an RFC 3339 timestamp such as 2026-03-01T00:00:00Z' });
    if (from !== undefined && until !== undefined && until <= from) problems.push({ path: 'valid_until', message: 'must be later than valid_from' });
    const marking = doc.marking;
    if (marking?.tlp === 'red' && marking.recipients === undefined) problems.push({ path: 'marking.recipients', message: 'is required for TLP:RED: name the organizations that may read it' });
    if (marking !== undefined && marking.tlp !== 'red' && marking.recipients !== undefined) {
      problems.push({ path: 'marking.recipients', message: `is only for TLP:RED; TLP:${marking.tlp.toUpperCase()} reaches its audience without names` });
    }
    for (const [index, recipient] of (marking?.tlp === 'red' ? (marking.recipients ?? []) : []).entries()) {
      if ((await deps.store.organizations.get(recipient)) === undefined) problems.push({ path: `marking.recipients[${index}]`, message: `there is no organization "${recipient}"` });
    }
    return problems;
  }

  /** Everything `submit` and `check` judge before storing: the document whole, the permission, then each item. */
  async function read(who: Principal | undefined, body: unknown) {
    if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
    const reading = deps.validate(body);
    if (!reading.ok) throw hubError('VALIDATION_FAILED', { description: 'the submission is not valid', problems: reading.problems });
    const doc = reading.document;
    const collection = await targetCollection(who, doc.collection);
    const problems = await documentProblems(doc);
    if (problems.length > 0) throw hubError('VALIDATION_FAILED', { description: 'the submission is not valid', problems });
    const provider = await deps.store.organizations.get(who.organizationId);
    if (provider === undefined) throw hubError('FORBIDDEN', 'your organization no longer exists');
    return { who, doc, collection, provider, items: normaliseItems(doc.indicators, reading.itemProblems) };
  }

  return {
    async check(who, body) {
      const { collection, items } = await read(who, body);
      const firstOf = new Map<string, number>();
      const checked = items.map((item): CheckedItem => {
        if (!item.ok) return { index: item.index, ...(item.kind !== undefined ? { kind: item.kind } : {}), ...(item.value !== undefined ? { value: item.value } : {}), outcome: 'rejected', problems: item.problems };
        const { indicator } = item;
        const keyText = indicatorKeyString(dedupKey(indicator));
        const duplicateOf = firstOf.get(keyText);
        if (duplicateOf === undefined) firstOf.set(keyText, item.index);
        const hit = deps.warningLists?.check(indicator.kind, indicator.value);
        return {
          index: item.index,
          kind: indicator.kind,
          value: indicator.value,
          ...(indicator.algorithm !== undefined ? { algorithm: indicator.algorithm } : {}),
          outcome: 'accepted',
          normalised: indicator.value !== item.value,
          ...(duplicateOf !== undefined ? { duplicateOf } : {}),
          ...(hit !== undefined ? { warnings: [hit] } : {}),
        };
      });
      const summary = { accepted: 0, rejected: 0 };
      for (const c of checked) summary[c.outcome] += 1;
      return { collectionId: collection.id, items: checked, summary };
    },

    async submit(whoGiven, body) {
      const { who, doc, collection, provider, items } = await read(whoGiven, body);
      const at = now();
      const validFrom = parseMicros(doc.valid_from) as number;
      const untilGiven = doc.valid_until === undefined ? undefined : (parseMicros(doc.valid_until) as number);
      const tlp = doc.marking?.tlp ?? collection.defaultMarking;
      const marking = { tlp, recipients: tlp === 'red' ? [...new Set(doc.marking?.recipients ?? [])].sort() : [] };
      // What every item shares; each adds its validity (its kind's default when none was given).
      const shared = {
        ...marking,
        ...(doc.confidence !== undefined ? { confidence: doc.confidence } : {}),
        validFrom: formatMicros(validFrom),
        ...(doc.kill_chain_phase !== undefined ? { killChainPhase: doc.kill_chain_phase } : {}),
        ...(doc.description !== undefined ? { description: doc.description } : {}),
      };
      const prepared: PreparedItem[] = items.flatMap((item) =>
        item.ok
          ? [
              {
                index: item.index,
                indicator: item.indicator,
                settings: {
                  ...shared,
                  validUntil: formatMicros(untilGiven ?? validFrom + validity[item.indicator.kind] * DAY_MICROS),
                  ...((item.intentional ?? doc.intentional) === true ? { intentional: true } : {}),
                },
              },
            ]
          : [],
      );
      const written = await writeIndicators(deps.objects, {
        collectionId: collection.id,
        provider,
        actor: actorName(who),
        nowMillis: at,
        nowMicros: nowMicros(() => at),
        marking,
        items: prepared,
        ...(doc.campaign !== undefined ? { campaign: doc.campaign } : {}),
        newId: () => `indicator--${randomUUID()}`,
        validate: deps.validateStix,
        rules: sharingRules(await deps.policy.current(), collection.id),
        hubIdentityId: await hubIdentity(),
      });

      const outcomes = items.map((item) => {
        const described = { index: item.index, ...(item.kind !== undefined ? { kind: item.kind } : {}), ...(item.value !== undefined ? { value: item.value } : {}) };
        if (!item.ok) return { ...described, outcome: 'rejected' as const, problems: item.problems };
        const outcome = written.get(item.index);
        if (outcome === undefined) throw new Error(`submission: no outcome for item ${item.index}`);
        const hit = deps.warningLists?.check(item.indicator.kind, item.indicator.value);
        return { ...described, value: item.indicator.value, ...outcome, ...(hit !== undefined ? { warnings: [hit] } : {}) };
      });
      const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
      for (const o of outcomes) summary[o.outcome] += 1;
      deps.onSubmitted?.(summary);
      return { collectionId: collection.id, items: outcomes, summary };
    },
  };
}
