import type { PivotEdge, PivotNode } from './types';

/** Where the pivot graph's nodes go (pivot-graph.tsx draws them): rings around the start. */

const RING = 170;
const MARGIN = 110;

export interface Place {
  readonly x: number;
  readonly y: number;
}

/** Room along a ring per node: a crowded ring grows beyond h·RING so that its nodes keep apart. */
const SPACING = 28;
/** A ring with more nodes than this draws no labels (they would overlap; the tables hold them). */
export const LABELLED_RING = 24;

/**
 * Places each node: hop 0 around the centre (one node exactly in it), hop h spread evenly on a ring
 * of radius h·RING, or more where the ring holds many nodes (each ring outside the one before).
 */
export function ringLayout(nodes: readonly PivotNode[]): { readonly places: ReadonlyMap<string, Place>; readonly radii: ReadonlyMap<number, number>; readonly size: number; readonly crowded: ReadonlySet<number> } {
  const byHop = new Map<number, PivotNode[]>();
  for (const node of nodes) byHop.set(node.hop, [...(byHop.get(node.hop) ?? []), node]);
  const radii = new Map<number, number>();
  let previous = 0;
  for (const hop of [...byHop.keys()].sort((a, b) => a - b)) {
    const count = byHop.get(hop)?.length ?? 0;
    const radius = hop === 0 ? (count > 1 ? Math.max(RING / 3, (count * SPACING) / (2 * Math.PI)) : 0) : Math.max(hop * RING, previous + RING / 2, (count * SPACING) / (2 * Math.PI));
    radii.set(hop, radius);
    previous = radius;
  }
  const size = 2 * (previous + MARGIN);
  const centre = size / 2;
  const places = new Map<string, Place>();
  for (const [hop, ring] of byHop) {
    const radius = radii.get(hop) ?? 0;
    // Each ring starts at a different angle, so that labels of consecutive rings do not line up.
    const offset = -Math.PI / 2 + hop * 0.35;
    ring.forEach((node, i) => {
      const angle = offset + (2 * Math.PI * i) / ring.length;
      places.set(node.ref, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) });
    });
  }
  const crowded = new Set([...byHop].filter(([, ring]) => ring.length > LABELLED_RING).map(([hop]) => hop));
  return { places, radii, size, crowded };
}

/** One line per pair of nodes, whatever the edges' directions: its label names every reason once. */
export function pairs(edges: readonly PivotEdge[]): { readonly a: string; readonly b: string; readonly reasons: string[]; readonly vias: string[] }[] {
  const byPair = new Map<string, { a: string; b: string; reasons: string[]; vias: string[] }>();
  for (const edge of edges) {
    const [a, b] = edge.from < edge.to ? [edge.from, edge.to] : [edge.to, edge.from];
    const key = `${a} ${b}`;
    const pair = byPair.get(key) ?? { a, b, reasons: [], vias: [] };
    if (!pair.reasons.includes(edge.reason)) pair.reasons.push(edge.reason);
    if (!pair.vias.includes(edge.via)) pair.vias.push(edge.via);
    byPair.set(key, pair);
  }
  return [...byPair.values()];
}

