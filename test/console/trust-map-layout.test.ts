import { layoutGroup, layoutStar, NODE_HEIGHT } from '../../console/src/pages/trust-map/layout';

const placeOf = (layout: ReturnType<typeof layoutGroup>, id: string) => {
  const node = layout.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`${id} is not drawn`);
  return node;
};

describe('the trust map\'s layout of a trust group', () => {
  test('a vertical group is a tree: the parent above and between its children, an edge to each child', () => {
    const layout = layoutGroup({ topology: 'vertical', members: ['acme-hq', 'acme-east', 'acme-west'], tree: { 'acme-hq': ['acme-east', 'acme-west'] } });
    const hq = placeOf(layout, 'acme-hq');
    const east = placeOf(layout, 'acme-east');
    const west = placeOf(layout, 'acme-west');
    expect(hq.y).toBeLessThan(east.y);
    expect(east.y).toBe(west.y);
    expect(hq.x).toBe((east.x + west.x) / 2);
    expect(layout.edges).toEqual([
      { from: 'acme-hq', to: 'acme-east', kind: 'tree' },
      { from: 'acme-hq', to: 'acme-west', kind: 'tree' },
    ]);
  });

  test('a horizontal group is a ring of peers, each pair joined', () => {
    const members = ['acme-hq', 'globex-hq', 'initech', 'vandelay'];
    const layout = layoutGroup({ topology: 'horizontal', members });
    expect(layout.nodes.map((n) => n.id)).toEqual(members);
    expect(layout.edges).toHaveLength(6);
    expect(layout.edges.every((e) => e.kind === 'peer')).toBe(true);
    expect(new Set(layout.nodes.map((n) => `${Math.round(n.x)},${Math.round(n.y)}`)).size).toBe(4); // no two on one spot
  });

  test('a hybrid group draws its trees apart, the peer link marked with its pass-down, and room above for the arc', () => {
    const layout = layoutGroup({
      topology: 'hybrid',
      members: ['acme-hq', 'acme-east', 'globex-hq', 'globex-lab'],
      tree: { 'acme-hq': ['acme-east'], 'globex-hq': ['globex-lab'] },
      peer_links: [{ between: ['acme-hq', 'globex-hq'], pass_down: false }],
    });
    expect(layout.edges).toContainEqual({ from: 'acme-hq', to: 'globex-hq', kind: 'peer-link', passDown: false });
    expect(placeOf(layout, 'globex-hq').x).toBeGreaterThan(placeOf(layout, 'acme-east').x);
    expect(placeOf(layout, 'acme-hq').y - NODE_HEIGHT / 2).toBeGreaterThanOrEqual(80);
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThan(0);
      expect(node.x).toBeLessThan(layout.width);
      expect(node.y).toBeLessThan(layout.height);
    }
  });

  test('a member outside any tree of a vertical group is still drawn', () => {
    const layout = layoutGroup({ topology: 'vertical', members: ['a', 'b', 'lonely'], tree: { a: ['b'] } });
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'lonely']);
  });

  test('a preview without the group\'s shape puts the provider in the middle of those it reaches', () => {
    const layout = layoutStar('acme-east', ['acme-hq']);
    expect(layout.nodes.map((n) => n.id)).toEqual(['acme-east', 'acme-hq']);
    expect(placeOf(layout, 'acme-hq').y).toBeLessThan(placeOf(layout, 'acme-east').y);
    expect(layoutStar('acme-east', []).nodes).toHaveLength(1);
  });
});
