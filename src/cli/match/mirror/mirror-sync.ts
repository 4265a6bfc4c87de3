import { stat } from 'node:fs/promises';
import path from 'node:path';
import { nowMicros, parseMicros } from '../../../domain/timestamps';
import { cutJournal, dataFileOf, fileLines, journalBatches, journalFileOf, openJournal, readState, removeFiles, takeLock, writeLines, writeState, type MirrorState as MirrorStateFile } from './mirror-files';
import { createMirrorHttp, HttpStatusError, type MirrorHttp, type RemoteCollection } from './mirror-http';
import type { CollectionState } from './mirror-lines';
import { MirrorState, type MirrorCounts } from './mirror-state';

/**
 * One sync of the mirror, per collection:
 * 1. TAXII 2.1: objects added after the last page's X-TAXII-Date-Added-Last, following `next`
 *    until `more` is false; each page applied and committed with its new added_after.
 * 2. The hub's change feed after the stored cursor, for what TAXII cannot say: deleted, purged,
 *    access lost and gained (such an object keeps its old date_added, so no poll ever sends it),
 *    and a head put back to an older version when the newer one was deleted.
 *
 * Which removals apply. Change-feed positions are the collection clock's labels, the same as
 * date_added. An indicator's line remembers the X-TAXII-Date-Added-Last of the page it came in (L,
 * at or after its own date_added). A page is one snapshot, and labels are committed in order, so
 * every change at or before L was visible to it: a removal of the version the page returned comes
 * after L, and a stored event at or before L is older than that version (a deleted earlier head,
 * an indicator deleted and submitted again) and is skipped. The page's first label would not do:
 * a removal between it and the object's own date_added would wrongly apply. Access events are
 * computed at the time of the read, after the poll, so they always apply.
 *
 * Where the change cursor starts. A first (or full) pass takes the feed's current end before it
 * polls TAXII from the beginning: what changed before that end is already in what the poll sees,
 * and what changes after it is in the change read that follows. The overlap (objects created
 * during the poll come both ways) is harmless: a line written again unchanged is not journaled.
 *
 * A first pass interrupted resumes where its last page left off (nothing was held before it); a
 * full pass over an existing mirror (`full: true`), interrupted, starts again, since the objects it
 * has seen are what tells which to drop at its end.
 */

export interface SyncOptions {
  readonly dir: string;
  /** The hub's base URL (TAXII discovery at <url>/taxii2/, its hub API at <url>/api/). */
  readonly url: string;
  /** The Authorization header (Basic … or Bearer …). */
  readonly authorization: string;
  /** Collection ids or aliases; every collection the credentials can read when absent. */
  readonly collections?: readonly string[];
  /** Read everything again and drop what is gone (what a server without a change feed needs to see removals). */
  readonly full?: boolean;
}

export interface SyncProgress {
  readonly collection: string;
  readonly objects: number;
  readonly removed: number;
}

export interface SyncSummary {
  readonly collections: readonly { readonly id: string; readonly title: string; readonly objects: number; readonly removed: number; readonly full: boolean; readonly changeFeed: boolean }[];
  /** Indicators held after the sync (every collection of the mirror). */
  readonly indicators: number;
  /** Things the user should know once (a server without a change feed, a collection no longer readable). */
  readonly notices: readonly string[];
}

/** For tests and the benchmark: a smaller page, a fault after some batches, another client. */
export interface SyncHooks {
  readonly pageSize?: number;
  /** Called before each batch is written (1, 2, …): a test throws here to crash a sync mid-way, or waits. */
  readonly beforeBatch?: (batch: number) => Promise<void> | void;
  readonly http?: MirrorHttp;
}

const NAME_TYPES = ['identity', 'campaign', 'relationship'] as const;
const PAGE = 1000;
const FORMAT = 'taxii-hub-mirror/1' as const;

/** Opens the directory for a sync: its state rebuilt in memory, the journal cut to its last commit. */
async function openMirror(dir: string, url: string): Promise<{ file: MirrorStateFile; state: MirrorState }> {
  const state = new MirrorState();
  let file = await readState(dir);
  if (file !== undefined && file.url !== url) throw new Error(`${dir} holds the mirror of ${file.url}, not of ${url}: use another directory for another hub`);
  if (file === undefined) {
    file = { format: FORMAT, url, generation: 0, collections: {} };
    await writeState(dir, file);
  }
  for (const [id, collection] of Object.entries(file.collections)) state.collections.set(id, collection);
  for await (const { line } of fileLines(path.join(dir, dataFileOf(file.generation)))) state.replay(line);
  const journal = path.join(dir, journalFileOf(file.generation));
  let committed = 0;
  for await (const batch of journalBatches(journal)) {
    for (const line of batch.lines) state.replay(line);
    committed = batch.endsAt;
  }
  await cutJournal(journal, committed);
  return { file, state };
}

const sizeOf = async (file: string) => (await stat(file).catch(() => ({ size: 0 }))).size;

export async function syncMirror(options: SyncOptions, onProgress?: (progress: SyncProgress) => void, hooks: SyncHooks = {}): Promise<SyncSummary> {
  const release = await takeLock(options.dir);
  try {
    return await syncLocked(options, onProgress, hooks);
  } finally {
    await release();
  }
}

async function syncLocked(options: SyncOptions, onProgress: ((progress: SyncProgress) => void) | undefined, hooks: SyncHooks): Promise<SyncSummary> {
  const { dir } = options;
  // The same hub however its URL is written (a trailing slash or not).
  const { file, state } = await openMirror(dir, options.url.replace(/\/+$/, ''));
  const http = hooks.http ?? createMirrorHttp(options.url, options.authorization);
  const pageSize = hooks.pageSize ?? PAGE;
  const notices: string[] = [];
  const summary: SyncSummary['collections'][number][] = [];
  const readable = await http.readableCollections();
  const wanted = chooseCollections(readable, options.collections);

  const journalFile = path.join(dir, journalFileOf(file.generation));
  const journal = await openJournal(journalFile);
  let batches = 0;
  const commit = async (collection: string, collectionState: CollectionState | null) => {
    batches += 1;
    await hooks.beforeBatch?.(batches);
    if (collectionState === null) state.collections.delete(collection);
    else state.collections.set(collection, collectionState);
    await journal.append([...state.take(), JSON.stringify(['k', collection, collectionState])]);
  };

  try {
    // A collection the credentials can no longer read (or that is gone) leaves the mirror.
    for (const [id, known] of [...state.collections]) {
      if (readable.some((c) => c.id === id)) continue;
      const counts = { objects: 0, removed: 0 };
      for (const indicator of [...state.indicatorIds(id)]) state.remove(id, indicator, counts);
      await commit(id, null);
      notices.push(`The collection ${known.alias ?? known.title} (${id}) is no longer readable with these credentials: its ${counts.removed} indicators left the mirror`);
    }

    let warnedNoFeed = false;
    for (const remote of wanted) {
      const counts: MirrorCounts = { objects: 0, removed: 0 };
      const progress = () => onProgress?.({ collection: remote.alias ?? remote.id, objects: counts.objects, removed: counts.removed });
      const base = { id: remote.id, title: remote.title, ...(remote.alias !== undefined ? { alias: remote.alias } : {}), apiRoot: remote.apiRoot };
      const known = state.collections.get(remote.id);
      let cs: CollectionState = known === undefined ? base : { ...known, ...base };
      const hadIndicators = !state.indicatorIds(remote.id).next().done;
      // A new pass: asked for, never synced, or an interrupted pass over an existing mirror
      // (fullPass true); an interrupted first pass (fullPass false) goes on where it stopped. A
      // pass ends (fullPass goes, syncedAt comes) once its change read is done too.
      const restart = options.full === true || cs.fullPass === true || (cs.fullPass === undefined && cs.syncedAt === undefined);
      const full = restart || cs.fullPass === false;
      let seen: Set<string> | undefined;
      if (restart) {
        const fresh = !hadIndicators;
        const start = cs.changeFeed === false ? undefined : await http.changes(remote.id, { from: 'now', types: ['indicator'], limit: 1 });
        const { addedAfter: _a, namesAddedAfter: _n, changeCursor: _c, syncedAt: _s, ...rest } = cs;
        cs = { ...rest, fullPass: !fresh, changeFeed: start !== undefined, ...(start !== undefined ? { changeCursor: start.cursor } : {}) };
        if (!fresh) seen = new Set();
        await commit(remote.id, cs);
      }

      // 1. TAXII 2.1, in two chains each with its own added_after: the names (identities,
      // campaigns, relationships: few, read first so indicators find them) and the indicators (a
      // hub answers a page of one type markedly faster than of several).
      const poll = async (types: readonly string[], field: 'namesAddedAfter' | 'addedAfter') => {
        // `next` continues a chain started with one added_after; a page with more but no next (a
        // server paging by added_after alone) and a resumed sync go on from the last page's. The
        // next page is asked for before this one is applied: the hub and the mirror work at once.
        let chainAddedAfter = cs[field];
        const fetchPage = (next: string | undefined) => {
          const promise = http.objects(remote, { types, limit: pageSize, ...(chainAddedAfter !== undefined ? { addedAfter: chainAddedAfter } : {}), ...(next !== undefined ? { next } : {}) });
          promise.catch(() => undefined); // awaited below; a sync failing meanwhile must not leave it unhandled
          return promise;
        };
        let pending = fetchPage(undefined);
        for (;;) {
          const page = await pending;
          const more = page.more && page.objects.length > 0;
          if (more) {
            if (page.next === undefined) chainAddedAfter = page.dateAddedLast ?? chainAddedAfter;
            pending = fetchPage(page.next);
          }
          const last = page.dateAddedLast === undefined ? undefined : parseMicros(page.dateAddedLast);
          const now = nowMicros();
          for (const object of page.objects) {
            if (typeof object.id !== 'string') continue;
            if (object.type === 'indicator') seen?.add(object.id);
            // Without the header (not every server sends it) the object's own modified is the label.
            const label = last ?? parseMicros(String(object.modified ?? '')) ?? 0;
            state.put(remote.id, object, label, counts, now);
          }
          if (page.dateAddedLast !== undefined) cs = { ...cs, [field]: page.dateAddedLast };
          await commit(remote.id, cs);
          progress();
          if (!more) return;
        }
      };
      await poll(NAME_TYPES, 'namesAddedAfter');
      await poll(['indicator'], 'addedAfter');
      if (seen !== undefined) {
        for (const indicator of [...state.indicatorIds(remote.id)]) if (!seen.has(indicator)) state.remove(remote.id, indicator, counts);
      }
      // 2. The change feed.
      let refused = false;
      let cursor = cs.changeCursor;
      while (cs.changeFeed !== false && cursor !== undefined) {
        const page = await http.changes(remote.id, { cursor, types: ['indicator'], limit: pageSize }).catch((error: unknown) => {
          // The hub no longer accepts the cursor (its database restored elsewhere, say): what changed
          // since is unknown, so the collection is read again in full at the next sync.
          if (error instanceof HttpStatusError && error.status === 400 && /cursor/i.test(error.detail)) return 'refused' as const;
          throw error;
        });
        if (page === 'refused') {
          refused = true;
          notices.push(`${options.url} no longer accepts the mirror's change-feed cursor of ${remote.alias ?? remote.id}: the next sync reads that collection again in full`);
          break;
        }
        if (page === undefined) {
          cs = { ...cs, changeFeed: false };
          break;
        }
        const now = nowMicros();
        for (const event of page.events) {
          if (event.operation === 'campaign-activity') continue; // a notice about an indicator (docs/analysis.md), not a version of it
          const stored = state.dateAddedOf(remote.id, event.object_id);
          if (event.operation === 'access-lost') state.remove(remote.id, event.object_id, counts);
          else if (event.operation === 'access-gained' && event.object !== undefined) state.put(remote.id, event.object, event.position, counts, now);
          else if (stored !== undefined && event.position <= stored) continue;
          else if (event.operation === 'deleted' || event.operation === 'purged') state.remove(remote.id, event.object_id, counts);
          else if (event.object !== undefined) state.put(remote.id, event.object, event.position, counts, now);
        }
        cursor = page.cursor;
        cs = { ...cs, changeCursor: cursor };
        await commit(remote.id, cs);
        progress();
        if (!page.more) break;
      }
      if (cs.changeFeed === false && !full && !warnedNoFeed) {
        warnedNoFeed = true;
        notices.push(`${options.url} has no change feed (it is not a taxii-hub): indicators deleted there, or that these credentials may no longer read, leave the mirror only with a full sync`);
      }
      const { fullPass: _f, ...done } = cs;
      cs = { ...done, ...(refused ? { fullPass: true } : {}), syncedAt: new Date().toISOString() };
      await commit(remote.id, cs);
      summary.push({ id: remote.id, title: remote.title, objects: counts.objects, removed: counts.removed, full, changeFeed: cs.changeFeed !== false });
    }
  } finally {
    await journal.close();
  }
  await compactIfWorth(dir, file, state);
  return { collections: summary, indicators: state.indicators.size, notices };
}

function chooseCollections(readable: readonly RemoteCollection[], asked: readonly string[] | undefined): RemoteCollection[] {
  if (asked === undefined || asked.length === 0) return [...readable];
  return asked.map((name) => {
    const found = readable.find((c) => c.id === name.toLowerCase()) ?? readable.find((c) => c.alias === name);
    if (found === undefined) throw new Error(`No collection ${JSON.stringify(name)} these credentials can read (give a collection id or alias; without any, every readable collection is mirrored)`);
    return found;
  });
}

/** Rewrites the data file when the journal has grown to a quarter of it (or more than 16 MB). */
async function compactIfWorth(dir: string, file: MirrorStateFile, state: MirrorState): Promise<void> {
  const journal = await sizeOf(path.join(dir, journalFileOf(file.generation)));
  const data = await sizeOf(path.join(dir, dataFileOf(file.generation)));
  if (journal === 0 || (journal < data / 4 && journal < 16 * 1024 * 1024)) return;
  const generation = file.generation + 1;
  await writeLines(path.join(dir, dataFileOf(generation)), state.lines());
  await writeState(dir, { format: FORMAT, url: file.url, generation, collections: Object.fromEntries(state.collections) });
  await removeFiles(dir, [dataFileOf(file.generation), journalFileOf(file.generation)]);
}
