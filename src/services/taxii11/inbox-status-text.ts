import type { FieldProblem } from '../../domain/errors';
import type { InboxRefusal } from './inbox-writer';

/**
 * The text of the Status_Message an Inbox_Message gets: readable and bounded whatever the message
 * held. A list names its first MAX_NAMED entries, then how many more there are; each entry is cut at
 * MAX_ENTRY_LENGTH characters.
 */

export const MAX_NAMED = 50;
export const MAX_ENTRY_LENGTH = 500;

/** Something of the message that was not stored because the bridge does not map it. */
export interface UnmappedEntry {
  readonly block: number;
  readonly what: string;
  readonly id?: string;
  readonly reason: string;
}

const cut = (text: string) => (text.length <= MAX_ENTRY_LENGTH ? text : `${text.slice(0, MAX_ENTRY_LENGTH - 1)}…`);

/** `a; b; c; … and N more`, the first MAX_NAMED entries. */
export function boundedList(entries: readonly string[]): string {
  const named = entries.slice(0, MAX_NAMED).map(cut);
  const rest = entries.length - named.length;
  return named.join('; ') + (rest > 0 ? `; … and ${rest} more` : '');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function refusalPath(r: InboxRefusal): string {
  return `block ${r.block}, indicator ${r.stix1Id}${r.collection !== undefined ? ` in collection ${r.collection}` : ''}`;
}

export function unmappedText(u: UnmappedEntry): string {
  return `block ${u.block}, ${u.what}${u.id !== undefined ? ` ${u.id}` : ''}: ${u.reason}`;
}

/** The problems of a refusal, as FieldProblems (path: where, message: why), every one of them. */
export function refusalProblems(refusals: readonly InboxRefusal[]): FieldProblem[] {
  return refusals.map((r) => ({ path: refusalPath(r), message: r.reason }));
}

/** The description of CONTENT_REFUSED for refused indicators. */
export function refusedText(refusals: readonly InboxRefusal[], total: number): string {
  return (
    `Nothing of this message was stored: ${plural(refusals.length, 'indicator')} of ${total} refused, ` +
    `and a message is stored whole or not at all. ${boundedList(refusals.map((r) => `${refusalPath(r)}: ${r.reason}`))}`
  );
}

/** The description of CONTENT_REFUSED for a message with no indicator, only content the bridge does not map. */
export function nothingToStoreText(unmapped: readonly UnmappedEntry[]): string {
  return `Nothing to store: the message holds no STIX 1.x indicator, and the hub does not map what it holds. ${boundedList(unmapped.map(unmappedText))}`;
}

/** The SUCCESS message: what was stored where, and what was not because it does not map. */
export function successText(counts: { readonly added: number; readonly alreadyPresent: number; readonly indicators: number }, collections: readonly string[], unmapped: readonly UnmappedEntry[]): string {
  const where = collections.length === 1 ? `collection ${collections[0] as string}` : `each of the collections ${collections.join(', ')}`;
  const stored =
    counts.indicators === 0
      ? 'The message holds no indicator: nothing was stored.'
      : `Stored ${plural(counts.indicators, 'indicator')} in ${where}: ${counts.added} added, ${counts.alreadyPresent} already present.`;
  if (unmapped.length === 0) return stored;
  return `${stored} Not stored, as the hub does not map it to STIX 2.1: ${boundedList(unmapped.map(unmappedText))}`;
}
