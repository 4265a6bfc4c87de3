import { windowStart } from '../../../domain/analysis/clustering';
import type { CampaignStore, GraphHead, GraphRow } from '../../../storage/campaign-store';

/**
 * The shared-key graph of one hub process (issue 15 §2): every active, in-window indicator head that
 * shares an analysis key with another, whoever may read it, with its keys and the facts access is
 * decided on. Built once from the store, then caught up on each use from the analysis keys added
 * since its own per-collection marks, so it learns what any hub process indexed. What the keys do
 * not say (a TAXII DELETE, a purge, a revocation without keys, expiry, the window's edge) the
 * listing filters or verifies at list time; the graph is built again from the store after
 * `rebuildAfterMs`, beside the requests, and the live graph absorbs it (the differences become changes).
 */

export interface GraphView {
  /** Heads by `<collection id>/<date_added>`. */
  readonly nodes: ReadonlyMap<string, GraphHead>;
  /** Each head's keys that the graph holds. */
  readonly keysOf: (ref: string) => ReadonlySet<string>;
  /** Changes whenever a head or key is added or removed (with the view itself on a rebuild): what is worked out from it may be kept until then. */
  readonly version: number;
  /** The changes that led from `version` to the current one, in order, or undefined when the view no longer holds them all. */
  changesSince(version: number): readonly GraphChange[] | undefined;
}

/** One change of a graph: a head gained a key (joining the graph with it), or left the graph with the keys it had. */
export type GraphChange = { readonly kind: 'add'; readonly ref: string; readonly key: string } | { readonly kind: 'remove'; readonly ref: string; readonly keys: readonly string[] };

/** How many changes a graph keeps for readers catching up incrementally (a reader further behind starts afresh). */
const JOURNAL_LIMIT = 200_000;

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
const BUILD_SLICE = 50_000;

const refOf = (h: { readonly collectionId: string; readonly dateAdded: number }) => `${h.collectionId}/${h.dateAdded}`;
const objectOf = (h: { readonly collectionId: string; readonly id: string }) => `${h.collectionId} ${h.id}`;

/** One graph's state: its heads, their keys, each key's holders, the marks it is caught up to, and its latest changes. */
export class GraphState implements GraphView {
  readonly nodes = new Map<string, GraphHead>();
  private readonly keysOfNode = new Map<string, Set<string>>();
  readonly holders = new Map<string, Set<string>>();
  private readonly byObject = new Map<string, string>();
  marks = new Map<string, number>();
  version = 0;
  /** The changes since version `journalBase`. */
  private journal: GraphChange[] = [];
  private journalBase = 0;

  constructor(public builtAt: number) {}

  changesSince(version: number): readonly GraphChange[] | undefined {
    if (version < this.journalBase || version > this.version) return undefined;
    return this.journal.slice(version - this.journalBase);
  }

  /**
   * Becomes the graph `fresh` (built from the store since): heads it lacks leave, heads and keys it
   * has join, as changes readers follow like any other (a rebuild does not make every reader's
   * clusters start afresh). A key only this graph still holds stays: with one holder it links nothing.
   */
  absorb(fresh: GraphState): void {
    for (const ref of [...this.nodes.keys()]) if (!fresh.nodes.has(ref)) this.remove(ref);
    for (const [ref, head] of fresh.nodes) {
      const mine = this.keysOfNode.get(ref);
      for (const key of fresh.keysOf(ref)) if (mine?.has(key) !== true) this.add({ ...head, key });
    }
    this.marks = fresh.marks;
    this.builtAt = fresh.builtAt;
  }

  /** Forgets the changes so far (after the first build: its readers start from the whole graph). */
  settle(): void {
    this.journal = [];
    this.journalBase = this.version;
  }

  private record(change: GraphChange): void {
    this.version++;
    this.journal.push(change);
    if (this.journal.length > JOURNAL_LIMIT) {
      const dropped = this.journal.length - JOURNAL_LIMIT / 2;
      this.journal = this.journal.slice(dropped);
      this.journalBase += dropped;
    }
  }

  keysOf = (ref: string): ReadonlySet<string> => this.keysOfNode.get(ref) ?? NONE;

  heldFor(object: { readonly collectionId: string; readonly id: string }): string | undefined {
    return this.byObject.get(objectOf(object));
  }

  remove(ref: string): void {
    const node = this.nodes.get(ref);
    if (node === undefined) return;
    this.record({ kind: 'remove', ref, keys: [...(this.keysOfNode.get(ref) ?? [])] });
    this.nodes.delete(ref);
    if (this.byObject.get(objectOf(node)) === ref) this.byObject.delete(objectOf(node));
    for (const key of this.keysOfNode.get(ref) ?? []) {
      const set = this.holders.get(key);
      set?.delete(ref);
      if (set?.size === 0) this.holders.delete(key);
    }
    this.keysOfNode.delete(ref);
  }

  /** Adds a head under a key; an older version of the same object leaves, a row of an older version than the graph's is ignored. */
  add(row: GraphRow): void {
    const ref = refOf(row);
    if (this.keysOfNode.get(ref)?.has(row.key) === true) return;
    const previous = this.byObject.get(objectOf(row));
    if (previous !== undefined && previous !== ref) {
      if ((this.nodes.get(previous)?.dateAdded ?? 0) > row.dateAdded) return;
      this.remove(previous);
    }
    if (!this.nodes.has(ref)) {
      const { key: _key, ...head } = row;
      this.nodes.set(ref, head);
      this.byObject.set(objectOf(row), ref);
      this.keysOfNode.set(ref, new Set());
    }
    (this.keysOfNode.get(ref) as Set<string>).add(row.key);
    this.record({ kind: 'add', ref, key: row.key });
    const set = this.holders.get(row.key);
    if (set === undefined) this.holders.set(row.key, new Set([ref]));
    else set.add(ref);
  }
}

const NONE: ReadonlySet<string> = new Set();

export function createSharedKeyGraph(deps: SharedKeyGraphDeps): SharedKeyGraph {
  const rebuildAfter = deps.rebuildAfterMs ?? GRAPH_REBUILD_MS;
  const perKey = deps.perKey ?? PER_KEY;
  let state: GraphState | undefined;
  let rebuilding: Promise<void> | undefined;
  let running: Promise<void> = Promise.resolve();

  async function build(nowMs: number): Promise<GraphState> {
    const nowMicros = nowMs * 1000;
    const built = await deps.store.graphRows(windowStart(nowMicros, deps.windowDays), nowMicros);
    const fresh = new GraphState(nowMs);
    // In slices, so that a rebuild beside the requests leaves the event loop to them.
    for (let i = 0; i < built.rows.length; i++) {
      fresh.add(built.rows[i] as GraphRow);
      if (i % BUILD_SLICE === BUILD_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    fresh.marks = built.marks;
    fresh.settle();
    return fresh;
  }

  async function catchUp(graph: GraphState, nowMs: number): Promise<void> {
    const since = windowStart(nowMs * 1000, deps.windowDays);
    const added = await deps.store.keysAddedAfter(graph.marks, since);
    graph.marks = added.marks;
    if (added.rows.length === 0) return;
    // A newer version of an object the graph holds replaces it, whether or not it is active.
    for (const r of added.rows) {
      const held = graph.heldFor(r);
      if (held !== undefined && held !== refOf(r) && (graph.nodes.get(held)?.dateAdded ?? 0) < r.dateAdded) graph.remove(held);
      if (held === refOf(r) && r.head === undefined) graph.remove(held);
    }
    const newKeys = new Map<string, GraphRow[]>();
    for (const r of added.rows) {
      if (r.head === undefined) continue;
      const row = { ...r.head, key: r.key };
      if (graph.holders.has(r.key)) graph.add(row);
      else newKeys.set(r.key, [...(newKeys.get(r.key) ?? []), row]);
    }
    if (newKeys.size === 0) return;
    for (const row of await deps.store.headsHolding([...newKeys.keys()], since, perKey)) (newKeys.get(row.key) as GraphRow[]).push(row);
    for (const rows of newKeys.values()) {
      if (new Set(rows.map(refOf)).size >= 2) for (const row of rows) graph.add(row);
    }
  }

  /** One update at a time: concurrent lists wait for the same catch-up. */
  function serially(work: () => Promise<void>): Promise<void> {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  }

  return {
    async current() {
      await serially(async () => {
        const nowMs = deps.now();
        // The first build is waited for; later ones run beside the requests, which use the graph they replace meanwhile.
        if (state === undefined || nowMs < state.builtAt) state = await build(nowMs);
        else if (nowMs - state.builtAt > rebuildAfter && rebuilding === undefined) {
          rebuilding = build(nowMs)
            .then((fresh) => serially(async () => {
              if (state === undefined) state = fresh;
              else state.absorb(fresh);
            }))
            .finally(() => {
              rebuilding = undefined;
            });
          rebuilding.catch(() => undefined);
        }
        await catchUp(state, nowMs);
      });
      return state as GraphState;
    },
    forget(refs) {
      for (const ref of refs) state?.remove(ref);
    },
  };
}
