import type { TrustGroupJson } from './types';

/**
 * Where each organization of a trust group is drawn (pure, no DOM): a tree per vertical tree
 * (parents above their children), peers on a circle for a horizontal group, and for a hybrid group
 * its trees side by side with the peer links between them.
 */

export interface NodePlace {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'tree' | 'peer' | 'peer-link';
  /** Peer links only: whether what crosses the link passes down the receiving tree. */
  readonly passDown?: boolean;
}

export interface GroupLayout {
  readonly nodes: readonly NodePlace[];
  readonly edges: readonly Edge[];
  readonly width: number;
  readonly height: number;
}

export const NODE_WIDTH = 132;
export const NODE_HEIGHT = 44;
const SLOT = 156;
const LEVEL = 96;
const MARGIN = 24;
const PEER_LINK_ROOM = 56;

/** Roots of a tree map: parents that are nobody's child, in the order given. */
function rootsOf(tree: Readonly<Record<string, readonly string[]>>): string[] {
  const children = new Set(Object.values(tree).flat());
  return Object.keys(tree).filter((id) => !children.has(id));
}

function layoutTrees(tree: Readonly<Record<string, readonly string[]>>, extra: readonly string[]): { nodes: NodePlace[]; edges: Edge[] } {
  const nodes: NodePlace[] = [];
  const edges: Edge[] = [];
  let slot = 0;
  const seen = new Set<string>();
  const place = (id: string, depth: number): number => {
    if (seen.has(id)) return nodes.find((n) => n.id === id)?.x ?? 0; // a malformed tree cannot loop here
    seen.add(id);
    const kids = tree[id] ?? [];
    let x: number;
    if (kids.length === 0) {
      x = MARGIN + NODE_WIDTH / 2 + slot * SLOT;
      slot += 1;
    } else {
      const xs = kids.map((kid) => {
        edges.push({ from: id, to: kid, kind: 'tree' });
        return place(kid, depth + 1);
      });
      x = (Math.min(...xs) + Math.max(...xs)) / 2;
    }
    nodes.push({ id, x, y: MARGIN + NODE_HEIGHT / 2 + depth * LEVEL });
    return x;
  };
  for (const root of rootsOf(tree)) {
    place(root, 0);
    slot += 0.4; // a little air between the trees of a hybrid group
  }
  for (const id of extra) if (!seen.has(id)) place(id, 0);
  return { nodes, edges };
}

function layoutPeers(members: readonly string[]): { nodes: NodePlace[]; edges: Edge[] } {
  const n = members.length;
  const radius = n <= 1 ? 0 : Math.max(90, (n * SLOT) / (2 * Math.PI));
  const cx = MARGIN + NODE_WIDTH / 2 + radius;
  const cy = MARGIN + NODE_HEIGHT / 2 + radius;
  const nodes = members.map((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
    return { id, x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
  });
  const edges: Edge[] = [];
  for (let i = 0; i < n; i += 1) for (let j = i + 1; j < n; j += 1) edges.push({ from: members[i] as string, to: members[j] as string, kind: 'peer' });
  return { nodes, edges };
}

export function layoutGroup(group: Pick<TrustGroupJson, 'topology' | 'members' | 'tree' | 'peer_links'>): GroupLayout {
  const { nodes, edges } = group.topology === 'horizontal' ? layoutPeers(group.members) : layoutTrees(group.tree ?? {}, group.members);
  const links = group.peer_links ?? [];
  for (const link of links) edges.push({ from: link.between[0], to: link.between[1], kind: 'peer-link', passDown: link.pass_down });
  // Room above the trees for the peer links' arcs and their labels.
  const shifted = links.length > 0 ? nodes.map((n) => ({ ...n, y: n.y + PEER_LINK_ROOM })) : nodes;
  return sized(shifted, edges);
}

/** A provider in the middle and the organizations it reaches around it (a preview without the group's shape). */
export function layoutStar(center: string, others: readonly string[]): GroupLayout {
  const n = others.length;
  const radius = n === 0 ? 0 : Math.max(120, (n * SLOT) / (2 * Math.PI));
  const cx = MARGIN + NODE_WIDTH / 2 + radius;
  const cy = MARGIN + NODE_HEIGHT / 2 + radius;
  const ring = others.map((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { id, x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
  });
  return sized([{ id: center, x: cx, y: cy }, ...ring], others.map((id) => ({ from: center, to: id, kind: 'peer' as const })));
}

function sized(nodes: readonly NodePlace[], edges: readonly Edge[]): GroupLayout {
  const width = Math.max(...nodes.map((n) => n.x + NODE_WIDTH / 2), NODE_WIDTH) + MARGIN;
  const height = Math.max(...nodes.map((n) => n.y + NODE_HEIGHT / 2), NODE_HEIGHT) + MARGIN + 18;
  return { nodes, edges, width, height };
}
