import { MatchIndexCache } from '../../../src/services/matching/match-index-cache';

/** An index stand-in whose size the test sets (the cache only reads `size`). */
const sized = (size: number) => ({ size });

describe('the match-index cache, bounded by indicators held', () => {
  test('keeps indexes up to the bound; the least recently used goes first', () => {
    const cache = new MatchIndexCache<{ size: number }>(100);
    const a = sized(40);
    const b = sized(40);
    cache.set('a', a);
    cache.set('b', b);
    expect(cache.get('a')).toBe(a); // a is now the most recently used
    cache.set('c', sized(30));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.stats()).toEqual({ indexes: 2, indicators: 70, maxIndicators: 100, evictions: 1 });
  });

  test('an index that grew is counted again when used, and others make room for it', () => {
    const cache = new MatchIndexCache<{ size: number }>(100);
    const a = sized(30);
    cache.set('a', a);
    cache.set('b', sized(30));
    a.size = 80;
    cache.touched('a');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.stats()).toEqual(expect.objectContaining({ indexes: 1, indicators: 80 }));
  });

  test('an index larger than the whole bound is not kept; dropping forgets only the index it names', () => {
    const cache = new MatchIndexCache<{ size: number }>(100);
    cache.set('huge', sized(101));
    expect(cache.get('huge')).toBeUndefined();
    const a = sized(10);
    cache.set('a', a);
    cache.drop('a', sized(10));
    expect(cache.get('a')).toBe(a);
    cache.drop('a', a);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats().indicators).toBe(0);
  });
});
