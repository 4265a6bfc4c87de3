import type { Translate } from '../../i18n';
import { pairs, ringLayout } from './graph-layout';
import { nodeLabel, type PivotEdge, type PivotNode } from './types';

/**
 * The pivot drawn in SVG: the start (hop 0) in the centre, each hop on a ring around it, edges as
 * lines labelled by their reason. The SVG is a labelled image; the same facts are in the tables.
 */

const RADIUS = 9;

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
  const { places, radii, size, crowded } = ringLayout(nodes);
  const centre = size / 2;
  const rings = [...radii].filter(([hop]) => hop > 0);
  // Edge labels only while they stay readable; the edges table always holds the reasons.
  const labelEdges = crowded.size === 0;
  return (
    <svg class="pivot-graph" viewBox={`0 0 ${size} ${size}`} width={size} height={size} role="img" aria-label={props.label}>
      {rings.map(([hop, r]) => <circle key={`ring-${hop}`} class="hop-ring" cx={centre} cy={centre} r={r} fill="none" />)}
      {pairs(edges).map((pair) => {
        const a = places.get(pair.a);
        const b = places.get(pair.b);
        if (!a || !b) return null;
        const words = pair.reasons.map((r) => t(`reason.${r}`)).join(', ');
        return (
          <g key={`${pair.a} ${pair.b}`} class={`pivot-edge${pair.reasons.map((r) => ` reason-${r}`).join('')}`}>
            <title>{`${words}: ${pair.vias.join(', ')}`}</title>
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
            {labelEdges && <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 3} text-anchor="middle" class="edge-label">{words}</text>}
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
            {!crowded.has(node.hop) && <text x={at.x} y={at.y + RADIUS + 14} text-anchor="middle" class="node-label">{short(nodeLabel(node))}</text>}
            {!crowded.has(node.hop) && props.place(node) !== '' && <text x={at.x} y={at.y + RADIUS + 27} text-anchor="middle" class="node-place">{short(props.place(node), 30)}</text>}
          </g>
        );
      })}
    </svg>
  );
}
