import type { Topology, TrustGroup } from '../domain/tenancy';

/**
 * A trust group indexed for constant-time questions "may consumer C read what provider P provides
 * in this group?". Trees are numbered in preorder, so "C is a descendant of P" is an interval test
 * (`P.enter < C.enter <= P.exit`) instead of a walk up the tree.
 */
export interface GroupTopology {
  readonly id: string;
  readonly topology: Topology;
  readonly members: ReadonlySet<string>;
  /** Tree groups only: each node's parent and preorder interval. */
  readonly nodes: ReadonlyMap<string, TreeNode>;
  /** Tree groups only: nodes in preorder; a node's strict descendants are `preorder[enter+1 .. exit]`. */
  readonly preorder: readonly string[];
  /** Hybrid groups only: the peer links at each end (each link is listed at both ends). */
  readonly links: ReadonlyMap<string, readonly LinkEnd[]>;
}

export interface TreeNode {
  readonly parent: string | undefined;
  readonly enter: number;
  readonly exit: number;
}

export interface LinkEnd {
  readonly other: string;
  readonly passDown: boolean;
}

/** Why the topology lets a consumer read a provider's object (the consumer's relation to the provider). */
export type TopologyRule = 'horizontal-peer' | 'vertical-ancestor' | 'vertical-descendant' | 'peer-link' | 'peer-link-pass-down';

/** Index a group that already passed `trustGroupProblems` (no cycles, one parent per node). */
export function indexGroup(group: TrustGroup): GroupTopology {
  if (group.topology === 'horizontal') {
    return { id: group.id, topology: group.topology, members: new Set(group.members), nodes: new Map(), preorder: [], links: new Map() };
  }
  const children = new Map<string, readonly string[]>();
  const parentOf = new Map<string, string>();
  for (const [parent, kids] of Object.entries(group.tree)) {
    children.set(parent, kids);
    for (const kid of kids) parentOf.set(kid, parent);
  }
  const all = new Set<string>([...children.keys(), ...parentOf.keys()]);
  const preorder: string[] = [];
  const enterOf = new Map<string, number>();
  const nodes = new Map<string, TreeNode>();
  for (const root of all) {
    if (parentOf.has(root)) continue;
    // Iterative depth-first walk: deep trees must not exhaust the call stack.
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    enterOf.set(root, preorder.length);
    preorder.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; next: number };
      const kids = children.get(top.node) ?? [];
      const kid = kids[top.next];
      if (kid === undefined) {
        stack.pop();
        nodes.set(top.node, { parent: parentOf.get(top.node), enter: enterOf.get(top.node) as number, exit: preorder.length - 1 });
        continue;
      }
      top.next += 1;
      enterOf.set(kid, preorder.length);
      preorder.push(kid);
      stack.push({ node: kid, next: 0 });
    }
  }

  const links = new Map<string, LinkEnd[]>();
  const addEnd = (at: string, end: LinkEnd) => {
    const list = links.get(at);
    if (list) list.push(end);
    else links.set(at, [end]);
  };
  for (const link of group.peerLinks) {
    const [a, b] = link.between;
    addEnd(a, { other: b, passDown: link.passDown });
    addEnd(b, { other: a, passDown: link.passDown });
  }
  return { id: group.id, topology: group.topology, members: new Set(preorder), nodes, preorder, links };
}

/** True when `node` is a strict descendant of `ancestor` in the group's trees. */
export function isDescendant(group: GroupTopology, node: string, ancestor: string): boolean {
  const n = group.nodes.get(node);
  const a = group.nodes.get(ancestor);
  return n !== undefined && a !== undefined && a.enter < n.enter && n.enter <= a.exit;
}

/**
 * The topology's reason for `consumer` to read an object `provider` provides (AMBER reach), or
 * undefined. With `passDown` false, links never carry objects below their ends (AMBER+STRICT reach).
 */
export function topologyRule(group: GroupTopology, provider: string, consumer: string, passDown: boolean): TopologyRule | undefined {
  if (provider === consumer) return undefined;
  if (group.topology === 'horizontal') {
    return group.members.has(provider) && group.members.has(consumer) ? 'horizontal-peer' : undefined;
  }
  const p = group.nodes.get(provider);
  const c = group.nodes.get(consumer);
  if (p === undefined || c === undefined) return undefined;
  if (c.enter < p.enter && p.enter <= c.exit) return 'vertical-ancestor';
  if (p.enter < c.enter && c.enter <= p.exit) return 'vertical-descendant';
  const ends = group.links.get(provider);
  if (ends === undefined) return undefined;
  for (const end of ends) if (end.other === consumer) return 'peer-link';
  if (!passDown) return undefined;
  for (const end of ends) {
    if (!end.passDown) continue;
    const q = group.nodes.get(end.other);
    if (q !== undefined && q.enter < c.enter && c.enter <= q.exit) return 'peer-link-pass-down';
  }
  return undefined;
}

/**
 * Every provider whose objects `consumer` may read in this group under the topology: the inverse
 * of `topologyRule`, for building store queries. Adds to `into`; never adds the consumer itself.
 */
export function addProvidersReadableBy(group: GroupTopology, consumer: string, passDown: boolean, into: Set<string>): void {
  if (group.topology === 'horizontal') {
    if (!group.members.has(consumer)) return;
    for (const member of group.members) if (member !== consumer) into.add(member);
    return;
  }
  const c = group.nodes.get(consumer);
  if (c === undefined) return;
  for (let i = c.enter + 1; i <= c.exit; i++) into.add(group.preorder[i] as string); // descendants
  for (const end of group.links.get(consumer) ?? []) into.add(end.other);
  for (let up = c.parent; up !== undefined; up = group.nodes.get(up)?.parent) {
    into.add(up); // ancestors
    if (!passDown) continue;
    for (const end of group.links.get(up) ?? []) if (end.passDown) into.add(end.other);
  }
  into.delete(consumer);
}
