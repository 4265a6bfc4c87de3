import { gunzipSync } from 'node:zlib';
import { RenderedFeedCache, type RenderedFeed } from '../../../src/services/feeds/rendered-feed-cache';
import { feedEtag, matchesIfNoneMatch } from '../../../src/services/feeds/feed-etag';

const feed = (text: string, position = 1): RenderedFeed => ({ position, listsVersion: 'v1', etag: feedEtag('k', position, 'v1'), cursor: 'c', body: Buffer.from(text), indicators: 1, entries: 1 });

describe('the rendered-feed cache', () => {
  test('keeps feeds up to its byte bound and drops the least recently used first', () => {
    const cache = new RenderedFeedCache(10);
    cache.set('a', feed('aaaa'));
    cache.set('b', feed('bbbb'));
    expect(cache.get('a')?.body.toString()).toBe('aaaa'); // a is now the most recently used
    cache.set('c', feed('cccc'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 8, evictions: 1 });
  });

  test('a feed larger than the whole bound is served but not kept', () => {
    const cache = new RenderedFeedCache(3);
    cache.set('a', feed('too long'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats().bytes).toBe(0);
  });

  test('compresses a kept feed once and counts the gzip form against the bound', async () => {
    const cache = new RenderedFeedCache(10_000);
    const kept = feed('x'.repeat(1000));
    cache.set('a', kept);
    const first = await cache.gzip('a', kept);
    expect(gunzipSync(first).toString()).toBe('x'.repeat(1000));
    expect(await cache.gzip('a', kept)).toBe(first);
    expect(cache.stats().bytes).toBe(1000 + first.length);
  });
});

describe('feed ETags', () => {
  test('change with the position and the warning lists, and If-None-Match compares them weakly, lists and * included', () => {
    const etag = feedEtag('key', 10, 'lists-1');
    expect(feedEtag('key', 11, 'lists-1')).not.toBe(etag);
    expect(feedEtag('key', 10, 'lists-2')).not.toBe(etag);
    expect(feedEtag('other', 10, 'lists-1')).not.toBe(etag);
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(etag.replace(/^W\//, ''), etag)).toBe(true);
    expect(matchesIfNoneMatch(`"nope", ${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"nope"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
  });
});
