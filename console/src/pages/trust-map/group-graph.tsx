import type { GroupLayout, NodePlace } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/**
 * One graph in SVG: organizations as boxes, tree edges as arrows from parent to child, peers as
 * plain lines, peer links dashed (pass-down links thick and labelled). With a preview, recipients are
 * highlighted with their rule written under them, the provider outlined, the others dimmed.
 * The SVG is a labelled image; the same facts are in the table beside it.
 */

export interface Highlight {
  readonly provider: string;
  readonly rules: ReadonlyMap<string, string>;
  /** The rule's words, as shown under a recipient. */
  readonly ruleLabel: (rule: string) => string;
}

export interface GroupGraphProps {
  readonly layout: GroupLayout;
  readonly label: string;
  readonly names: ReadonlyMap<string, string>;
  readonly highlight?: Highlight;
  readonly passDownLabel: string;
  readonly noPassDownLabel: string;
}

export function GroupGraph({ layout, label, names, highlight, passDownLabel, noPassDownLabel }: GroupGraphProps) {
  const at = new Map(layout.nodes.map((n) => [n.id, n] as const));
  // Room at the sides for the rule written under a recipient at the edge.
  const pad = highlight ? 40 : 0;
  const width = Math.ceil(layout.width) + 2 * pad;
  const height = Math.ceil(layout.height);
  return (
    <svg class="trust-graph" viewBox={`${-pad} 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
        </marker>
      </defs>
      {layout.edges.map((edge) => {
        const a = at.get(edge.from);
        const b = at.get(edge.to);
        if (!a || !b) return null;
        if (edge.kind === 'tree') {
          return <line key={`t-${edge.from}-${edge.to}`} class="edge tree" x1={a.x} y1={a.y + NODE_HEIGHT / 2} x2={b.x} y2={b.y - NODE_HEIGHT / 2 - 2} marker-end="url(#arrow)" />;
        }
        if (edge.kind === 'peer') return <line key={`p-${edge.from}-${edge.to}`} class="edge peer" x1={a.x} y1={a.y} x2={b.x} y2={b.y} />;
        const midX = (a.x + b.x) / 2;
        const top = Math.min(a.y, b.y) - NODE_HEIGHT / 2;
        // A quadratic arc over both boxes: its control point 80 above, so its apex is 40 above.
        const apex = top - 40;
        return (
          <g key={`l-${edge.from}-${edge.to}`}>
            <path class={`edge peer-link ${edge.passDown ? 'pass-down' : 'no-pass-down'}`} d={`M ${a.x} ${a.y - NODE_HEIGHT / 2} Q ${midX} ${top - 80} ${b.x} ${b.y - NODE_HEIGHT / 2}`} fill="none" />
            <text class="link-label" x={midX} y={apex - 6} text-anchor="middle">{edge.passDown ? passDownLabel : noPassDownLabel}</text>
          </g>
        );
      })}
      {layout.nodes.map((node) => <Node key={node.id} node={node} name={names.get(node.id)} highlight={highlight} />)}
    </svg>
  );
}

function Node({ node, name, highlight }: { readonly node: NodePlace; readonly name: string | undefined; readonly highlight: Highlight | undefined }) {
  const rule = highlight?.rules.get(node.id);
  const state = !highlight ? '' : node.id === highlight.provider ? ' provider' : rule !== undefined ? ' recipient' : ' not-recipient';
  return (
    <g class={`org${state}`} data-org={node.id}>
      <title>{name ? `${name} (${node.id})` : node.id}</title>
      <rect x={node.x - NODE_WIDTH / 2} y={node.y - NODE_HEIGHT / 2} width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
      <text x={node.x} y={node.y - 3} text-anchor="middle" class="org-id">{node.id}</text>
      {name && <text x={node.x} y={node.y + 13} text-anchor="middle" class="org-name">{name.length > 20 ? `${name.slice(0, 19)}…` : name}</text>}
      {rule !== undefined && highlight && <text x={node.x} y={node.y + NODE_HEIGHT / 2 + 14} text-anchor="middle" class="rule-label">{highlight.ruleLabel(rule)}</text>}
    </g>
  );
}
