import { candidateId, isCandidate, type CandidateThresholds } from '../../../domain/analysis/clustering';
import type { GraphHead } from '../../../storage/campaign-store';
import { memberRef, newestFirst, type DraftCandidate } from './candidate-listing';
import type { GraphView } from './shared-key-graph';

/**
 * One reader audience's clusters of the shared-key graph, kept up to date from the graph's changes
 * instead of worked out again over the whole graph on each list (issue 15 §2: clustering keeps up
 * with ingest). Only heads the audience may read, in the window and not expired, are nodes, exactly
 * as in `draftCandidates` (candidate-listing.ts), which a property test holds this to.
 *
 * A head gaining a key joins the cluster of the key's other readable holders (all of which are in one
 * cluster already, so one of them stands for the key); clusters merge smaller into larger. A head
 * leaving (superseded, found inactive, out of the window, expired) splits its cluster: only that
 * cluster's nodes are clustered again. Drafts are worked out again only for clusters that changed.
 */

export interface AudienceClustersDeps {
  readonly view: GraphView;
  /** May the audience read this head (its collection's read scope)? */
  readonly readable: (head: GraphHead) => boolean;
  readonly thresholds: CandidateThresholds;
  /** The candidate ids' secret and the audience's text they are keyed with. */
  readonly secret: string;
  readonly audienceText: string;
}

interface Box {
  nodes: string[];
}

const DAY_MICROS = 86_400_000_000;

export class AudienceClusters {
  readonly view: GraphView;
  private version: number;
  private lastNow: number;
  private readonly boxOf = new Map<string, Box>();
  /** One readable holder of each key (every readable holder of a key is in that holder's box). */
  private readonly keyRep = new Map<string, string>();
  private readonly dirty = new Set<Box>();
  private readonly drafts = new Map<Box, DraftCandidate>();
  private sorted: DraftCandidate[] = [];
  /** Drafts were dropped or changed since `sorted` was made. */
  private resort = false;
  private readonly leaving = new MinHeap();

  /** Clusters the whole graph as the audience reads it at `nowMicros`. */
  constructor(private readonly deps: AudienceClustersDeps, nowMicros: number) {
    this.view = deps.view;
    this.version = deps.view.version;
    this.lastNow = nowMicros;
    for (const [ref] of deps.view.nodes) for (const key of deps.view.keysOf(ref)) this.addKey(ref, key, nowMicros);
    this.refresh(nowMicros);
  }

  /**
   * The audience's candidates, most recently active first, after the graph's changes since the last
   * call and the heads that left the window or expired by `nowMicros`; undefined when this cannot
   * follow (another view, changes no longer held, the clock went back): cluster afresh then.
   */
  draftsAt(view: GraphView, nowMicros: number): DraftCandidate[] | undefined {
    if (view !== this.view || nowMicros < this.lastNow) return undefined;
    const changes = view.changesSince(this.version);
    if (changes === undefined) return undefined;
    for (const change of changes) {
      if (change.kind === 'add') this.addKey(change.ref, change.key, nowMicros);
      else this.removeNode(change.ref, change.keys);
    }
    this.version = view.version;
    this.lastNow = nowMicros;
    this.refresh(nowMicros);
    return this.sorted;
  }

  /** How many heads the audience holds (what keeping it costs). */
  get size(): number {
    return this.boxOf.size;
  }

  private leavesAt(head: GraphHead): number {
    const outOfWindow = head.dateAdded + this.deps.thresholds.windowDays * DAY_MICROS + 1;
    return head.validUntil !== null ? Math.min(head.validUntil, outOfWindow) : outOfWindow;
  }

  private addKey(ref: string, key: string, nowMicros: number): void {
    let box = this.boxOf.get(ref);
    if (box === undefined) {
      const head = this.view.nodes.get(ref);
      if (head === undefined || !this.view.keysOf(ref).has(key) || !this.deps.readable(head)) return;
      const leaves = this.leavesAt(head);
      if (leaves <= nowMicros) return;
      box = { nodes: [ref] };
      this.boxOf.set(ref, box);
      this.leaving.push(leaves, ref);
    }
    const rep = this.keyRep.get(key);
    if (rep === undefined) this.keyRep.set(key, ref);
    else box = this.union(box, this.boxOf.get(rep) as Box);
    this.dirty.add(box);
  }

  private union(a: Box, b: Box): Box {
    if (a === b) return a;
    const [big, small] = a.nodes.length >= b.nodes.length ? [a, b] : [b, a];
    for (const n of small.nodes) {
      big.nodes.push(n);
      this.boxOf.set(n, big);
    }
    small.nodes = [];
    this.dirty.delete(small);
    this.dropDraft(small);
    return big;
  }

  /** The head leaves; the rest of its cluster is clustered again by the keys they hold. */
  private removeNode(ref: string, keys: Iterable<string>): void {
    const box = this.boxOf.get(ref);
    if (box === undefined) return;
    this.boxOf.delete(ref);
    for (const key of keys) if (this.keyRep.get(key) === ref) this.keyRep.delete(key);
    this.dropDraft(box);
    this.dirty.delete(box);
    const rest = box.nodes.filter((n) => n !== ref);
    box.nodes = [];
    for (const n of rest) for (const key of this.view.keysOf(n)) this.keyRep.delete(key);
    for (const n of rest) {
      const own: Box = { nodes: [n] };
      this.boxOf.set(n, own);
      this.dirty.add(own);
    }
    for (const n of rest) {
      for (const key of this.view.keysOf(n)) {
        const rep = this.keyRep.get(key);
        if (rep === undefined) this.keyRep.set(key, n);
        else this.dirty.add(this.union(this.boxOf.get(n) as Box, this.boxOf.get(rep) as Box));
      }
    }
  }

  /** Heads past their time leave; changed clusters get their drafts again. */
  private refresh(nowMicros: number): void {
    for (let top = this.leaving.peek(); top !== undefined && top <= nowMicros; top = this.leaving.peek()) {
      const ref = this.leaving.pop() as string;
      if (this.boxOf.has(ref)) this.removeNode(ref, this.view.keysOf(ref));
    }
    for (const box of this.dirty) {
      this.dropDraft(box);
      const draft = this.draftOf(box);
      if (draft !== undefined) {
        this.drafts.set(box, draft);
        this.resort = true;
      }
    }
    this.dirty.clear();
    if (this.resort) this.sorted = [...this.drafts.values()].sort(newestFirst);
    this.resort = false;
  }

  private dropDraft(box: Box): void {
    if (this.drafts.delete(box)) this.resort = true;
  }

  private draftOf(box: Box): DraftCandidate | undefined {
    const { thresholds } = this.deps;
    if (box.nodes.length < Math.max(2, thresholds.minIndicators)) return undefined;
    const members = box.nodes.map((n) => this.view.nodes.get(n) as GraphHead);
    if (!isCandidate({ indicators: members.length, submissions: new Set(members.map((m) => m.submission)).size }, thresholds)) return undefined;
    members.sort((a, b) => a.firstAdded - b.firstAdded || (memberRef(a) < memberRef(b) ? -1 : 1));
    const held = new Map<string, number>();
    for (const n of box.nodes) for (const key of this.view.keysOf(n)) held.set(key, (held.get(key) ?? 0) + 1);
    const sharedKeys = [...held].filter(([, count]) => count >= 2).map(([key]) => key).sort();
    let lastAdded = 0;
    for (const m of members) lastAdded = Math.max(lastAdded, m.dateAdded);
    return { id: candidateId(this.deps.secret, this.deps.audienceText, memberRef(members[0] as GraphHead)), members, sharedKeys, lastAdded };
  }
}

/** A binary min-heap of (time, ref). */
class MinHeap {
  private readonly times: number[] = [];
  private readonly refs: string[] = [];

  peek(): number | undefined {
    return this.times[0];
  }

  push(time: number, ref: string): void {
    let i = this.times.length;
    this.times.push(time);
    this.refs.push(ref);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.times[parent] as number) <= time) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): string | undefined {
    const top = this.refs[0];
    const lastTime = this.times.pop() as number;
    const lastRef = this.refs.pop() as string;
    if (this.times.length === 0) return top;
    this.times[0] = lastTime;
    this.refs[0] = lastRef;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.times.length && (this.times[l] as number) < (this.times[least] as number)) least = l;
      if (r < this.times.length && (this.times[r] as number) < (this.times[least] as number)) least = r;
      if (least === i) return top;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b] as number, this.times[a] as number];
    [this.refs[a], this.refs[b]] = [this.refs[b] as string, this.refs[a] as string];
  }
}
