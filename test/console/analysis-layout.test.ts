import { LABELLED_RING, pairs, ringLayout } from '../../console/src/pages/analysis/graph-layout';
import type { PivotNode } from '../../console/src/pages/analysis/types';

const node = (ref: string, hop: number): PivotNode => ({ ref, type: hop === 0 ? 'value' : 'indicator', hop, value: ref });
const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('the pivot graph layout', () => {
  test('the value is in the centre and each hop on a ring outside the one before', () => {
    const nodes = [node('value', 0), node('a', 1), node('b', 1), node('c', 2)];
    const { places, size, radii } = ringLayout(nodes);
    const centre = { x: size / 2, y: size / 2 };
    expect(places.get('value')).toEqual(centre);
    expect(distance(places.get('a')!, centre)).toBeCloseTo(radii.get(1)!);
    expect(distance(places.get('c')!, centre)).toBeCloseTo(radii.get(2)!);
    expect(radii.get(2)!).toBeGreaterThan(radii.get(1)!);
    for (const place of places.values()) for (const v of [place.x, place.y]) expect(v > 0 && v < size).toBe(true);
  });

  test('a crowded ring grows so its nodes keep apart, and draws no labels', () => {
    const ring = Array.from({ length: 300 }, (_, i) => node(`n${i}`, 1));
    const { places, crowded } = ringLayout([node('value', 0), ...ring]);
    expect(distance(places.get('n0')!, places.get('n1')!)).toBeGreaterThan(20);
    expect([...crowded]).toEqual([1]);
    expect(ringLayout([node('value', 0), ...ring.slice(0, LABELLED_RING)]).crowded.size).toBe(0);
  });

  test('edges both ways between two nodes make one line naming each reason once', () => {
    const joined = pairs([
      { from: 'a', to: 'b', reason: 'host-in-url', via: 'x.example' },
      { from: 'b', to: 'a', reason: 'host-in-url', via: 'x.example' },
      { from: 'b', to: 'a', reason: 'same-host', via: 'x.example' },
      { from: 'a', to: 'c', reason: 'same-value', via: '1.2.3.4' },
    ]);
    expect(joined).toEqual([{ a: 'a', b: 'b', reasons: ['host-in-url', 'same-host'], vias: ['x.example'] }, { a: 'a', b: 'c', reasons: ['same-value'], vias: ['1.2.3.4'] }]);
  });
});
