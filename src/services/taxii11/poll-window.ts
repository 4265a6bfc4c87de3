import { hubError } from '../../domain/errors';
import type { ContentBindingRef } from '../../domain/taxii11/taxii-requests';
import { formatTaxiiTimestamp } from '../../domain/taxii11/taxii-timestamps';
import { OFFERED_CONTENT_BINDINGS } from '../../domain/taxii11/taxii-identifiers';

/**
 * The pure parts of a TAXII 1.1 poll: the label window a poll considers (P-03, P-05, P-12..P-15) and
 * the content binding its blocks are rendered in (P-07).
 */

/** The labels a poll considers: (exclusiveBegin, inclusiveEnd]. */
export interface PollWindow {
  readonly exclusiveBegin?: number;
  readonly inclusiveEnd: number;
}

/**
 * The window of a poll, given `lastLabel`, the collection's highest committed label read BEFORE any
 * record: every label assigned later is higher, so a window that ends there is complete for good
 * (P-14, P-15) and a poller that takes this end as its next exclusive begin misses nothing.
 * - end = the requested end, or lastLabel when there is none or it lies beyond lastLabel: always
 *   present (P-12), never beyond what is committed;
 * - begin = the requested begin, as asked (P-13), even when the first record is later;
 * - a begin beyond lastLabel (the client's own clock, say) gives the empty window (begin, begin]:
 *   the end is never before the begin, so a poller that continues from it does not move backwards.
 * BAD_REQUEST when both bounds are given and the end is not after the begin (P-05).
 */
export function pollWindow(requested: { readonly exclusiveBegin?: number; readonly inclusiveEnd?: number }, lastLabel: number): PollWindow {
  const { exclusiveBegin, inclusiveEnd } = requested;
  if (exclusiveBegin !== undefined && inclusiveEnd !== undefined && inclusiveEnd <= exclusiveBegin) {
    throw hubError('BAD_REQUEST', {
      description: `Inclusive_End_Timestamp (${formatTaxiiTimestamp(inclusiveEnd)}) must be later than Exclusive_Begin_Timestamp (${formatTaxiiTimestamp(exclusiveBegin)})`,
    });
  }
  const committedEnd = inclusiveEnd === undefined ? lastLabel : Math.min(inclusiveEnd, lastLabel);
  const end = exclusiveBegin === undefined ? committedEnd : Math.max(exclusiveBegin, committedEnd);
  return exclusiveBegin === undefined ? { inclusiveEnd: end } : { exclusiveBegin, inclusiveEnd: end };
}

/**
 * The binding a poll's blocks are rendered in: STIX 1.2 unless the request names only STIX 1.1.1.
 * No bindings requested means any (P-06). The STIX bindings define no subtypes, so a requested binding
 * with subtypes is not one the hub offers. None of the requested bindings offered:
 * UNSUPPORTED_CONTENT_BINDING with a SUPPORTED_CONTENT detail per binding offered (P-07).
 */
export function chooseContentBinding(requested: readonly ContentBindingRef[]): string {
  if (requested.length === 0) return OFFERED_CONTENT_BINDINGS[0] as string;
  const offered = OFFERED_CONTENT_BINDINGS.find((binding) => requested.some((r) => r.bindingId === binding && r.subtypes.length === 0));
  if (offered !== undefined) return offered;
  throw hubError('UNSUPPORTED_CONTENT_BINDING', {
    description: `None of the requested content bindings (${requested.map((r) => r.bindingId).join(', ')}) is offered; the hub offers ${OFFERED_CONTENT_BINDINGS.join(' and ')}`,
    statusDetails: OFFERED_CONTENT_BINDINGS.map((value) => ({ name: 'SUPPORTED_CONTENT', value })),
  });
}

/** A poll with a Query: the hub supports none (P-08), so the SUPPORTED_QUERY list is empty. */
export function unsupportedQuery() {
  return hubError('UNSUPPORTED_QUERY', { description: 'The hub supports no TAXII query formats; poll without a Query', statusDetails: [] });
}
