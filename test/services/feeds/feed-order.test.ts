import type { FeedEntry } from '../../../src/domain/feeds/feed-entry';
import { compareFeedEntries, mergeFeedEntries } from '../../../src/services/feeds/feed-order';

const entry = (kind: FeedEntry['kind'], value: string, indicatorId = 'indicator--a'): FeedEntry => ({ indicatorId, version: 1, kind, value, tlp: 'green', campaigns: [] });

describe('the order of feed entries', () => {
  test('is by kind (as the hub lists kinds), then value, then indicator id', () => {
    const sorted = [entry('url', 'https://b.example/'), entry('c2-ip', '45.1.1.2'), entry('c2-ip', '45.1.1.1', 'indicator--b'), entry('c2-ip', '45.1.1.1', 'indicator--a'), entry('email-from', 'x@y.example')].sort(compareFeedEntries);
    expect(sorted.map((e) => `${e.kind} ${e.value} ${e.indicatorId}`)).toEqual([
      'email-from x@y.example indicator--a',
      'c2-ip 45.1.1.1 indicator--a',
      'c2-ip 45.1.1.1 indicator--b',
      'c2-ip 45.1.1.2 indicator--a',
      'url https://b.example/ indicator--a',
    ]);
  });

  test('merging two sorted lists gives what sorting both together gives', () => {
    const all = Array.from({ length: 200 }, (_, i) => entry(i % 3 === 0 ? 'url' : 'c2-hostname', `h${(i * 7919) % 200}.example`, `indicator--${i}`));
    const a = all.filter((_, i) => i % 4 !== 0).sort(compareFeedEntries);
    const b = all.filter((_, i) => i % 4 === 0).sort(compareFeedEntries);
    expect(mergeFeedEntries(a, b)).toEqual([...all].sort(compareFeedEntries));
    expect(mergeFeedEntries(a, [])).toEqual(a);
  });
});
