import type { Translate } from '../../i18n';
import { nodeLabel, type PivotEdge, type PivotNode } from './types';

/**
 * The pivot drawn in SVG: the start (hop 0) in the centre, each hop on a ring around it, edges as
 * lines labelled by their reason. The SVG is a labelled image; the same facts are in the tables.
 */

const RING = 170;
const MARGIN = 110;
const RADIUS = 9;

export interface Place {
  readonly x: number;
  readonly y: number;
}

/** Places each node: hop 0 around the centre (one node exactly in it), hop h spread evenly on the ring of radius h·RING. */
export function ringLayout(nodes: readonly PivotNode[]): { readonly places: ReadonlyMap<string, Place>; readonly size: number } {
  const byHop = new Map<number, PivotNode[]>();
  for (const node of nodes) byHop.set(node.hop, [...(byHop.get(node.hop) ?? []), node]);
  const maxHop = Math.max(0, ...byHop.keys());
  const size = 2 * (maxHop * RING + MARGIN);
  const centre = size / 2;
  const places = new Map<string, Place>();
  for (const [hop, ring] of byHop) {
    const radius = hop === 0 ? (ring.length > 1 ? RING / 3 : 0) : hop * RING;
    // Each ring starts at a different angle, so that labels of consecutive rings do not line up.
    const offset = -Math.PI / 2 + hop * 0.35;
    ring.forEach((node, i) => {
      const angle = offset + (2 * Math.PI * i) / ring.length;
      places.set(node.ref, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) });
    });
  }
  return { places, size };
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

const short = (text: string, max = 26) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function PivotGraphSvg(props: {
  readonly t: Translate;
  readonly nodes: readonly PivotNode[];
  readonly edges: readonly PivotEdge[];
  readonly label: string;
  /** Where a node is (collection, provider), written under its value. */
  readonly place: (node: PivotNode) => string;
}) {
  const { t, nodes, edges } = props;
  const { places, size } = ringLayout(nodes);
  const centre = size / 2;
  const rings = [...new Set(nodes.map((n) => n.hop))].filter((h) => h > 0);
  return (
    <svg class="pivot-graph" viewBox={`0 0 ${size} ${size}`} width={size} height={size} role="img" aria-label={props.label}>
      {rings.map((hop) => <circle key={`ring-${hop}`} class="hop-ring" cx={centre} cy={centre} r={hop * RING} fill="none" />)}
      {pairs(edges).map((pair) => {
        const a = places.get(pair.a);
        const b = places.get(pair.b);
        if (!a || !b) return null;
        const words = pair.reasons.map((r) => t(`reason.${r}`)).join(', ');
        return (
          <g key={`${pair.a} ${pair.b}`} class={`pivot-edge${pair.reasons.map((r) => ` reason-${r}`).join('')}`}>
            <title>{`${words}: ${pair.vias.join(', ')}`}</title>
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
            <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 3} text-anchor="middle" class="edge-label">{words}</text>
          </g>
        );
      })}
      {nodes.map((node) => {
        const at = places.get(node.ref);
        if (!at) return null;
        return (
          <g key={node.ref} class={`pivot-node type-${node.type}${node.state !== undefined ? ` state-${node.state}` : ''}`} data-ref={node.ref}>
            <title>{`${t(`type.${node.type}`)}: ${nodeLabel(node)}`}</title>
            <circle cx={at.x} cy={at.y} r={node.hop === 0 ? RADIUS + 4 : RADIUS} />
            <text x={at.x} y={at.y + RADIUS + 14} text-anchor="middle" class="node-label">{short(nodeLabel(node))}</text>
            {props.place(node) !== '' && <text x={at.x} y={at.y + RADIUS + 27} text-anchor="middle" class="node-place">{short(props.place(node), 30)}</text>}
          </g>
        );
      })}
    </svg>
  );
}
