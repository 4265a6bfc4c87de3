import { feedEntriesOf, feedRenderer, FEED_FORMATS, FEED_RENDERERS, isFeedFormat, type FeedChange } from '../../../src/domain/feeds';
import { derivedBundleId } from '../../../src/domain/feeds/stix-feed';
import { INDICATOR_KINDS } from '../../../src/domain/indicators';
import { CONTEXT, entryOf, hostileEntries, hubIndicator } from './feed-fixtures';

/** The stix feed (a bundle, a JSON delta) and what every renderer promises. */

const STIX = feedRenderer('stix');

describe('stix feed', () => {
  test('a STIX 2.1 bundle of the indicators as stored, each once, even when it gives several entries', () => {
    const c2 = hubIndicator({ kind: 'c2-hostname', value: 'c2.example' });
    const or: Record<string, unknown> = { ...hubIndicator({ kind: 'c2-ip', value: '198.51.100.7' }), pattern: "[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '198.51.100.8']" };
    const entries = [...feedEntriesOf(c2, 'amber'), ...feedEntriesOf(or, 'amber')];
    expect(entries).toHaveLength(3);
    const objects = new Map([c2, or].map((object) => [object.id as string, object]));
    const bundle = JSON.parse(STIX.render(entries, { ...CONTEXT, objects })) as { type: string; id: string; objects: unknown[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundle.objects).toEqual([c2, or].sort((a, b) => String(a.id).localeCompare(String(b.id))));
  });

  test('the bundle id is the one given, else derived from the collection and cursor (the same feed, the same id)', () => {
    expect(JSON.parse(STIX.render([], { ...CONTEXT, bundleId: 'bundle--6b0e4bd5-36a5-4bfd-9a44-3a6c1a0b1e2f' })).id).toBe('bundle--6b0e4bd5-36a5-4bfd-9a44-3a6c1a0b1e2f');
    expect(JSON.parse(STIX.render([], CONTEXT)).id).toBe(JSON.parse(STIX.render([], CONTEXT)).id);
    expect(derivedBundleId('a')).not.toBe(derivedBundleId('b'));
  });

  test('the delta form lists additions with entry and object, removals with reason and the entry when known', () => {
    const c2 = hubIndicator({ kind: 'c2-hostname', value: 'c2.example' });
    const [entry] = feedEntriesOf(c2, 'green');
    const changes: FeedChange[] = [
      { op: 'add', indicatorId: c2.id as string, entry: entry as NonNullable<typeof entry> },
      { op: 'remove', indicatorId: 'indicator--00000000-0000-4000-8000-0000000000ff', reason: 'purged' },
    ];
    expect(STIX.supportsDelta).toBe(true);
    expect(STIX.deltaContentType).toBe('application/json');
    expect(JSON.parse(STIX.renderDelta?.(changes, { ...CONTEXT, objects: new Map([[c2.id as string, c2]]) }) ?? '')).toEqual({
      collection: 'isac-feed',
      generated_at: CONTEXT.generatedAt,
      cursor: CONTEXT.cursor,
      changes: [
        {
          op: 'add',
          indicator_id: c2.id,
          entry: { value: 'c2.example', kind: 'c2-hostname', confidence: 80, valid_until: '2027-01-01T00:00:00.000Z', tlp: 'green', campaigns: [], version: '2026-02-03T04:05:06.123456Z' },
          object: c2,
        },
        { op: 'remove', indicator_id: 'indicator--00000000-0000-4000-8000-0000000000ff', reason: 'purged' },
      ],
    });
  });
});

describe('every renderer', () => {
  test('each format has its renderer, a content type, the kinds it expresses; only csv and stix say removals', () => {
    expect(Object.keys(FEED_RENDERERS).sort()).toEqual([...FEED_FORMATS].sort());
    for (const format of FEED_FORMATS) {
      const renderer = FEED_RENDERERS[format];
      expect(renderer.format).toBe(format);
      expect(renderer.contentType).toMatch(/^[a-z]+\/[a-z+.-]+/);
      expect(renderer.kinds.length).toBeGreaterThan(0);
      expect(renderer.supportsDelta).toBe(renderer.renderDelta !== undefined);
    }
    expect(FEED_FORMATS.filter((format) => FEED_RENDERERS[format].supportsDelta)).toEqual(['csv', 'stix']);
    expect(isFeedFormat('rpz')).toBe(true);
    expect(isFeedFormat('snort')).toBe(false);
  });

  test.each([...FEED_FORMATS])('%s renders the hostile set, an empty set and a thousand entries; kinds are grouped whatever the order they come in', (format) => {
    const renderer = FEED_RENDERERS[format];
    const context = { ...CONTEXT, rpz: { origin: 'rpz.hub.example', serial: 1 }, postfix: { map: 'header' as const } };
    const hostile = hostileEntries();
    // Kinds in reverse order, each kind's entries in the same order (the sort is stable).
    const kindsReversed = [...hostile].sort((a, b) => INDICATOR_KINDS.indexOf(b.kind) - INDICATOR_KINDS.indexOf(a.kind));
    const stixIds = (text: string) => (JSON.parse(text) as { objects: unknown[] }).objects;
    if (format === 'stix') expect(stixIds(renderer.render(hostile, context))).toEqual(stixIds(renderer.render(kindsReversed, context)));
    else expect(renderer.render(hostile, context)).toBe(renderer.render(kindsReversed, context));
    expect(typeof renderer.render([], context)).toBe('string');
    const many = Array.from({ length: 1000 }, (_, i) => entryOf({ kind: 'c2-hostname', value: `c2-${i}.example` }));
    expect(renderer.render(many, context).length).toBeGreaterThan(0);
  });
});
