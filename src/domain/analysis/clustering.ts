import { createHmac } from 'node:crypto';

/**
 * Campaign grouping (issue 15 §2), pure: indicators that share an analysis key are connected, and a
 * connected cluster large enough (indicators, submissions) is a campaign candidate. The caller gives
 * only what one reader may read, in the window, active: a hidden indicator is never a node here, so
 * it never bridges two readable ones and never counts in a size.
 */

export interface CandidateThresholds {
  /** Indicators a cluster needs (default 3). */
  readonly minIndicators: number;
  /** Distinct submissions they must come from (default 2). */
  readonly minSubmissions: number;
  /** Only indicators added within this many days count (default 30). */
  readonly windowDays: number;
}

export const DEFAULT_CANDIDATE_THRESHOLDS: CandidateThresholds = { minIndicators: 3, minSubmissions: 2, windowDays: 30 };

/** One indicator head's key: `node` names the head (any string unique per head). */
export interface KeyedNode {
  readonly node: string;
  readonly key: string;
}

export interface Cluster {
  /** The nodes, sorted. */
  readonly nodes: readonly string[];
  /** The keys two or more of the nodes share, sorted. */
  readonly shared: readonly string[];
}

/**
 * The connected clusters of nodes linked by shared keys (union-find over node numbers, with path
 * halving and union by size), each with the keys that connect it; clusters of one node are left out.
 */
export function clustersOf(rows: Iterable<KeyedNode>): Cluster[] {
  const index = new Map<string, number>();
  const names: string[] = [];
  const byKey = new Map<string, number[]>();
  for (const { node, key } of rows) {
    let n = index.get(node);
    if (n === undefined) {
      n = names.length;
      index.set(node, n);
      names.push(node);
    }
    const nodes = byKey.get(key);
    if (nodes === undefined) byKey.set(key, [n]);
    else if (nodes[nodes.length - 1] !== n && !nodes.includes(n)) nodes.push(n);
  }
  const parent = Int32Array.from(names, (_, i) => i);
  const size = new Int32Array(names.length).fill(1);
  const find = (x: number): number => {
    let node = x;
    while (parent[node] !== node) {
      const grand = parent[parent[node] as number] as number;
      parent[node] = grand;
      node = grand;
    }
    return node;
  };
  const shared: [string, number][] = [];
  for (const [key, nodes] of byKey) {
    if (nodes.length < 2) continue;
    const first = nodes[0] as number;
    shared.push([key, first]);
    for (let i = 1; i < nodes.length; i++) {
      let a = find(first);
      let b = find(nodes[i] as number);
      if (a === b) continue;
      if ((size[a] as number) < (size[b] as number)) [a, b] = [b, a];
      parent[b] = a;
      size[a] = (size[a] as number) + (size[b] as number);
    }
  }
  const members = new Map<number, string[]>();
  for (let n = 0; n < names.length; n++) {
    const root = find(n);
    const list = members.get(root);
    if (list === undefined) members.set(root, [names[n] as string]);
    else list.push(names[n] as string);
  }
  const keysOf = new Map<number, string[]>();
  for (const [key, first] of shared) {
    const root = find(first);
    const list = keysOf.get(root);
    if (list === undefined) keysOf.set(root, [key]);
    else list.push(key);
  }
  const clusters: Cluster[] = [];
  for (const [root, nodes] of members) {
    if (nodes.length < 2) continue;
    clusters.push({ nodes: nodes.sort(), shared: (keysOf.get(root) ?? []).sort() });
  }
  return clusters.sort((a, b) => ((a.nodes[0] as string) < (b.nodes[0] as string) ? -1 : 1));
}

/** Is a cluster with these sizes a candidate? */
export function isCandidate(sizes: { readonly indicators: number; readonly submissions: number }, thresholds: CandidateThresholds): boolean {
  return sizes.indicators >= thresholds.minIndicators && sizes.submissions >= thresholds.minSubmissions;
}

/** The earliest date_added (microseconds) an indicator may have to count. */
export function windowStart(nowMicros: number, windowDays: number): number {
  return nowMicros - windowDays * 86_400_000_000;
}

/**
 * A candidate's id: stable while the candidate grows (it depends only on the reader's audience and
 * the candidate's earliest member), and revealing nothing (an HMAC under a hub secret), so an id
 * seen by one reader tells nothing to another and names no hidden content.
 */
export function candidateId(secret: string, audience: string, earliestMember: string): string {
  const digest = createHmac('sha256', secret).update(`${audience}\u0000${earliestMember}`).digest('hex');
  return `candidate--${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

/**
 * A candidate stays rejected when it holds two or more members of a rejected set (a rejection is
 * about those indicators belonging together, whatever joins them later). Members are
 * `<collection id>/<object id>`.
 */
export function rejectedBy<R extends { readonly members: readonly string[] }>(members: readonly string[], rejections: readonly R[]): R | undefined {
  const own = new Set(members);
  return rejections.find((r) => {
    let common = 0;
    for (const m of r.members) if (own.has(m) && ++common >= 2) return true;
    return false;
  });
}
