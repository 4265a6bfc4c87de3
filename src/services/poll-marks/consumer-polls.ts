import { readScope, type CompiledPolicy, type ReadScope } from '../../access';
import type { Principal } from '../../domain/principal';
import type { CollectionFiguresStore, ReadableBacklog } from '../../storage/collection-figures-store';
import type { PollMark, PollMarkStore, PollProtocol } from '../../storage/poll-mark-store';
import { TAXII11_RECORD_TYPES } from '../taxii11/taxii11-collections';
import type { PollRecorder } from './poll-recorder';

/**
 * An organization's polls of a collection as the console's Collections page shows them (issue 16):
 * its latest poll (when, over which protocol, by whom) and its lag, the readable versions added
 * after the furthest position any of its principals reached (counted up to DEFAULT_LAG_LIMIT versions,
 * so a reader far behind costs the figures no more than that). A position reached over TAXII 1.1
 * or a sensor feed counts only indicators, all they carry: the rest never reaches such a reader. One
 * reached by a poll that asked for some types only (TAXII 2.1 match[type], the change feed's types)
 * counts only those types: a SIEM that polls indicators is not behind on the notes it never asks for.
 */
export interface OrganizationPolls {
  readonly organization: string;
  /** Absent: the organization never polled the collection. */
  readonly lastPoll?: {
    readonly at: number;
    readonly protocol: PollProtocol;
    readonly userId: string;
    readonly username: string;
    readonly apiKeyId?: string;
  };
  /** The furthest date_added (microseconds) served to it, over which protocol, and of which types (absent: every type). */
  readonly reached?: { readonly position: number; readonly protocol: PollProtocol; readonly types?: readonly string[] };
  /** Absent when it never polled or may not read the collection now. */
  readonly lag?: ReadableBacklog;
}

export interface ConsumerPollsDeps {
  /** Flushed before reading, so this process's latest polls are in the answer. */
  readonly recorder: Pick<PollRecorder, 'flush'>;
  readonly marks: Pick<PollMarkStore, 'marksOf'>;
  readonly backlog: Pick<CollectionFiguresStore, 'readableBacklog'>;
  /** Versions counted at most per organization (DEFAULT_LAG_LIMIT): the lag of one far behind says "more". */
  readonly lagLimit?: number;
}

export const DEFAULT_LAG_LIMIT = 10_000;

/** TAXII 1.1 and the sensor feeds carry indicators and nothing else: their readers lag on indicators only. */
export function indicatorsOnly(protocol: PollProtocol): boolean {
  return protocol === 'taxii11' || protocol === 'feed';
}

/** The principal an organization's consumers read as (the operator's view of another organization's lag). */
function consumerOf(organizationId: string): Principal {
  return { userId: '', username: '', organizationId, roles: new Set(['consumer']), via: 'local' };
}

async function summary(deps: ConsumerPollsDeps, collectionId: string, organization: string, marks: readonly PollMark[], scope: ReadScope): Promise<OrganizationPolls> {
  const latest = marks[0];
  if (latest === undefined) return { organization };
  const furthest = marks.reduce((a, b) => (b.position > a.position ? b : a));
  // A feed's mark says 'indicator' itself; a TAXII 1.1 mark says nothing (TAXII 1.1 carries indicators only).
  const types = furthest.protocol === 'taxii11' ? TAXII11_RECORD_TYPES : furthest.types;
  const lag = scope.kind === 'none' ? undefined : await deps.backlog.readableBacklog(collectionId, scope, furthest.position, deps.lagLimit ?? DEFAULT_LAG_LIMIT, types);
  return {
    organization,
    lastPoll: { at: latest.polledAt, protocol: latest.protocol, userId: latest.userId, username: latest.username, ...(latest.apiKeyId !== undefined ? { apiKeyId: latest.apiKeyId } : {}) },
    reached: { position: furthest.position, protocol: furthest.protocol, ...(furthest.types !== undefined && !indicatorsOnly(furthest.protocol) ? { types: furthest.types } : {}) },
    ...(lag !== undefined ? { lag } : {}),
  };
}

/** The caller's own organization: its lag is counted over what the caller may read (nothing for a provider-only caller: no lag). */
export async function ownPolls(deps: ConsumerPollsDeps, policy: CompiledPolicy, who: Principal, collectionId: string): Promise<OrganizationPolls> {
  await deps.recorder.flush();
  const marks = await deps.marks.marksOf(collectionId, who.organizationId);
  return summary(deps, collectionId, who.organizationId, marks, readScope(policy, who, collectionId));
}

/** Operators: every organization in `organizations` and every one that polled, each counted over what its consumers may read. */
export async function everyConsumerPolls(deps: ConsumerPollsDeps, policy: CompiledPolicy, collectionId: string, organizations: readonly string[]): Promise<OrganizationPolls[]> {
  await deps.recorder.flush();
  const byOrganization = new Map<string, PollMark[]>(organizations.map((o) => [o, []]));
  for (const mark of await deps.marks.marksOf(collectionId)) {
    const list = byOrganization.get(mark.organizationId) ?? [];
    list.push(mark);
    byOrganization.set(mark.organizationId, list);
  }
  const names = [...byOrganization.keys()].sort();
  return Promise.all(names.map((o) => summary(deps, collectionId, o, byOrganization.get(o) ?? [], readScope(policy, consumerOf(o), collectionId))));
}
