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
 * The connected clusters of nodes linked by shared keys (union-find with path halving), each with
 * the keys that connect it; clusters of one node are left out.
 */
export function clustersOf(rows: Iterable<KeyedNode>): Cluster[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let node = x;
    for (;;) {
      const up = parent.get(node) ?? node;
      if (up === node) return node;
      const grand = parent.get(up) ?? up;
      parent.set(node, grand);
      node = grand;
    }
  };
  const byKey = new Map<string, string[]>();
  for (const { node, key } of rows) {
    if (!parent.has(node)) parent.set(node, node);
    const nodes = byKey.get(key);
    if (nodes === undefined) byKey.set(key, [node]);
    else if (!nodes.includes(node)) nodes.push(node);
  }
  const shared: [string, string[]][] = [];
  for (const [key, nodes] of byKey) {
    if (nodes.length < 2) continue;
    shared.push([key, nodes]);
    const root = find(nodes[0] as string);
    for (const other of nodes.slice(1)) {
      const r = find(other);
      if (r !== root) parent.set(r, root);
    }
  }
  const members = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    const list = members.get(root);
    if (list === undefined) members.set(root, [node]);
    else list.push(node);
  }
  const keysOf = new Map<string, string[]>();
  for (const [key, nodes] of shared) {
    const root = find(nodes[0] as string);
    keysOf.set(root, [...(keysOf.get(root) ?? []), key]);
  }
  const clusters: Cluster[] = [];
  for (const [root, nodes] of members) {
    if (nodes.length < 2) continue;
    clusters.push({ nodes: nodes.sort(), shared: (keysOf.get(root) ?? []).sort() });
  }
  return clusters.sort((a, b) => (a.nodes[0] as string).localeCompare(b.nodes[0] as string));
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
