import path from 'node:path';
import { createMatchIndex } from '../../../domain/matching';
import type { MatchIndex } from '../../../domain/matching/match-types';
import { dataFileOf, fileLines, journalBatches, journalFileOf, NoMirrorError, readState } from './mirror-files';
import { entriesOfRow, type CollectionState } from './mirror-lines';

export interface LoadedMirror {
  readonly index: MatchIndex;
  /** The indicators the index holds. */
  readonly indicators: number;
  /** The collections mirrored; syncedAt is empty while a collection's first sync has not finished. */
  readonly collections: readonly { readonly id: string; readonly title: string; readonly alias?: string; readonly syncedAt: string }[];
}

/**
 * The mirror as a match index, read in one streaming pass: the data file, then the journal's
 * committed batches (a batch a crash cut short is left out). Only indicator lines are parsed; the
 * strings every entry of a collection shares (collection, TLP, provider, campaign lists) are kept
 * once, so a million indicators fit in a few hundred MB.
 *
 * The index holds one indicator per STIX id: an id mirrored from two collections is held as the
 * last one read.
 */
export async function loadMirror(dir: string): Promise<LoadedMirror> {
  const state = await readState(dir);
  if (state === undefined) throw new NoMirrorError(dir);
  const index = createMatchIndex();
  const collections = new Map<string, CollectionState>(Object.entries(state.collections));
  const strings = new Map<string, string>();
  const lists = new Map<string, readonly string[]>();
  const one = (text: string | null): string | null => {
    if (text === null) return null;
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };

  const apply = (line: string) => {
    if (line.startsWith('["i"')) {
      const row = JSON.parse(line) as unknown[];
      row[1] = one(row[1] as string);
      row[4] = one(row[4] as string);
      row[6] = one(row[6] as string | null);
      const campaigns = row[9] as string[];
      const listKey = campaigns.join('\n');
      let list = lists.get(listKey);
      if (list === undefined) lists.set(listKey, (list = Object.freeze(campaigns.map((c) => one(c) as string))));
      row[9] = list;
      index.put(row[2] as string, entriesOfRow(row));
    } else if (line.startsWith('["-i"')) {
      index.remove((JSON.parse(line) as unknown[])[2] as string);
    } else if (line.startsWith('["k"')) {
      const [, id, collection] = JSON.parse(line) as [string, string, CollectionState | null];
      if (collection === null) collections.delete(id);
      else collections.set(id, collection);
    }
  };

  for await (const { line } of fileLines(path.join(dir, dataFileOf(state.generation)))) apply(line);
  for await (const batch of journalBatches(path.join(dir, journalFileOf(state.generation)))) for (const line of batch.lines) apply(line);

  return {
    index,
    indicators: index.size,
    collections: [...collections.values()].map((c) => ({ id: c.id, title: c.title, ...(c.alias !== undefined ? { alias: c.alias } : {}), syncedAt: c.syncedAt ?? '' })),
  };
}
