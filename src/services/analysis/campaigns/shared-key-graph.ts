import { windowStart } from '../../../domain/analysis/clustering';
import type { CampaignStore, GraphHead, GraphRow } from '../../../storage/campaign-store';

/**
 * The shared-key graph of one hub process (issue 15 §2): every active, in-window indicator head that
 * shares an analysis key with another, whoever may read it, with its keys and the facts access is
 * decided on. Built once from the store, then caught up on each use from the analysis keys added
 * since its own per-collection marks, so it learns what any hub process indexed. What the keys do
 * not say (a TAXII DELETE, a purge, a revocation without keys, expiry, the window's edge) the
 * listing filters or verifies at list time; the graph is rebuilt from scratch after `rebuildAfterMs`.
 */

export interface GraphView {
  /** Heads by `<collection id>/<date_added>`. */
  readonly nodes: ReadonlyMap<string, GraphHead>;
  /** Each head's keys that the graph holds. */
  readonly keysOf: (ref: string) => ReadonlySet<string>;
}

export interface SharedKeyGraph {
  /** The graph caught up with every analysis key stored (call after the indexer's catchUp). */
  current(): Promise<GraphView>;
  /** Drops heads found no longer active (superseded, revoked, deleted). */
  forget(refs: readonly string[]): void;
}

export interface SharedKeyGraphDeps {
  readonly store: Pick<CampaignStore, 'graphRows' | 'keysAddedAfter' | 'headsHolding'>;
  readonly windowDays: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Rebuild from scratch when the graph is older than this (default 10 minutes). */
  readonly rebuildAfterMs?: number;
  /** At most this many heads per key a catch-up probes for a key new to the graph (default 1,000). */
  readonly perKey?: number;
}

export const GRAPH_REBUILD_MS = 10 * 60_000;
const PER_KEY = 1_000;

const refOf = (h: { readonly collectionId: string; readonly dateAdded: number }) => `${h.collectionId}/${h.dateAdded}`;
const objectOf = (h: { readonly collectionId: string; readonly id: string }) => `${h.collectionId} ${h.id}`;

export function createSharedKeyGraph(deps: SharedKeyGraphDeps): SharedKeyGraph {
  const rebuildAfter = deps.rebuildAfterMs ?? GRAPH_REBUILD_MS;
  const perKey = deps.perKey ?? PER_KEY;
  const nodes = new Map<string, GraphHead>();
  const keysOfNode = new Map<string, Set<string>>();
  const holders = new Map<string, Set<string>>();
  const byObject = new Map<string, string>();
  let marks = new Map<string, number>();
  let builtAt: number | undefined;
  let running: Promise<void> = Promise.resolve();
  const none: ReadonlySet<string> = new Set();

  function remove(ref: string): void {
    const node = nodes.get(ref);
    if (node === undefined) return;
    nodes.delete(ref);
    if (byObject.get(objectOf(node)) === ref) byObject.delete(objectOf(node));
    for (const key of keysOfNode.get(ref) ?? []) {
      const set = holders.get(key);
      set?.delete(ref);
      if (set?.size === 0) holders.delete(key);
    }
    keysOfNode.delete(ref);
  }

  /** Adds a head under a key; an older version of the same object leaves, a row of an older version than the graph's is ignored. */
  function add(row: GraphRow): void {
    const ref = refOf(row);
    const previous = byObject.get(objectOf(row));
    if (previous !== undefined && previous !== ref) {
      if ((nodes.get(previous)?.dateAdded ?? 0) > row.dateAdded) return;
      remove(previous);
    }
    if (!nodes.has(ref)) {
      const { key: _key, ...head } = row;
      nodes.set(ref, head);
      byObject.set(objectOf(row), ref);
      keysOfNode.set(ref, new Set());
    }
    (keysOfNode.get(ref) as Set<string>).add(row.key);
    const set = holders.get(row.key);
    if (set === undefined) holders.set(row.key, new Set([ref]));
    else set.add(ref);
  }

  async function build(nowMs: number): Promise<void> {
    const nowMicros = nowMs * 1000;
    const built = await deps.store.graphRows(windowStart(nowMicros, deps.windowDays), nowMicros);
    nodes.clear();
    keysOfNode.clear();
    holders.clear();
    byObject.clear();
    for (const row of built.rows) add(row);
    marks = built.marks;
    builtAt = nowMs;
  }

  async function catchUp(nowMs: number): Promise<void> {
    const since = windowStart(nowMs * 1000, deps.windowDays);
    const added = await deps.store.keysAddedAfter(marks, since);
    marks = added.marks;
    if (added.rows.length === 0) return;
    // A newer version of an object the graph holds replaces it, whether or not it is active.
    for (const r of added.rows) {
      const held = byObject.get(objectOf(r));
      if (held !== undefined && held !== refOf(r) && (nodes.get(held)?.dateAdded ?? 0) < r.dateAdded) remove(held);
      if (held === refOf(r) && r.head === undefined) remove(held);
    }
    const newKeys = new Map<string, GraphRow[]>();
    for (const r of added.rows) {
      if (r.head === undefined) continue;
      const row = { ...r.head, key: r.key };
      if (holders.has(r.key)) add(row);
      else newKeys.set(r.key, [...(newKeys.get(r.key) ?? []), row]);
    }
    if (newKeys.size === 0) return;
    for (const row of await deps.store.headsHolding([...newKeys.keys()], since, perKey)) (newKeys.get(row.key) as GraphRow[]).push(row);
    for (const rows of newKeys.values()) {
      if (new Set(rows.map(refOf)).size >= 2) for (const row of rows) add(row);
    }
  }

  /** One update at a time: concurrent lists wait for the same catch-up. */
  function serially(work: () => Promise<void>): Promise<void> {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  }

  const view: GraphView = { nodes, keysOf: (ref) => keysOfNode.get(ref) ?? none };

  return {
    async current() {
      await serially(async () => {
        const nowMs = deps.now();
        if (builtAt === undefined || nowMs - builtAt > rebuildAfter || nowMs < builtAt) await build(nowMs);
        else await catchUp(nowMs);
      });
      return view;
    },
    forget(refs) {
      for (const ref of refs) remove(ref);
    },
  };
}
