import { feedEntriesOf } from '../../../src/domain/feeds';
import { matchEntriesOf } from '../../../src/domain/matching';
import { parseMicros } from '../../../src/domain/timestamps';
import { hubIndicator } from '../feeds/feed-fixtures';

/** matchEntriesOf: the sensor-feed entries of a stored indicator, with where it came from. */

describe('matchEntriesOf', () => {
  const meta = { collection: 'isac-feed', tlp: 'green', campaigns: ['Op Winter'], provider: 'acme-east' } as const;

  test('gives each feed entry with the collection, TLP, campaigns, provider and valid_until in microseconds', () => {
    const indicator = hubIndicator({ kind: 'c2-hostname', value: 'Bücher.Example' });
    const [feed] = feedEntriesOf(indicator, 'green');
    expect(matchEntriesOf(indicator, meta)).toEqual([
      {
        indicatorId: indicator.id,
        kind: 'c2-hostname',
        value: 'xn--bcher-kva.example',
        collection: 'isac-feed',
        tlp: 'green',
        campaigns: ['Op Winter'],
        provider: 'acme-east',
        validUntilMicros: parseMicros(feed?.validUntil as string),
        confidence: feed?.confidence,
      },
    ]);
  });

  test('keeps the hash algorithm, leaves out a provider not given, and gives one entry per ORed value', () => {
    const hash = hubIndicator({ kind: 'file-hash', value: 'D41D8CD98F00B204E9800998ECF8427E', algorithm: 'md5' });
    const [entry] = matchEntriesOf(hash, { collection: 'c', tlp: 'amber', campaigns: [] });
    expect(entry).toMatchObject({ kind: 'file-hash', algorithm: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(entry).not.toHaveProperty('provider');
    const ored = { ...hash, pattern: "[ipv4-addr:value = '198.51.100.7'] OR [ipv4-addr:value = '203.0.113.0/24']", extensions: undefined };
    expect(matchEntriesOf(ored, meta).map((e) => `${e.kind} ${e.value}`)).toEqual(['c2-ip 198.51.100.7', 'c2-ip 203.0.113.0/24']);
  });

  test('gives nothing for what no sensor can match or what is not an indicator', () => {
    const indicator = hubIndicator({ kind: 'c2-ip', value: '198.51.100.7' });
    expect(matchEntriesOf({ ...indicator, pattern: "[ipv4-addr:value = '198.51.100.7' AND ipv4-addr:value = '1.2.3.4']" }, meta)).toEqual([]);
    expect(matchEntriesOf({ ...indicator, type: 'malware' }, meta)).toEqual([]);
    expect(matchEntriesOf({ ...indicator, pattern_type: 'sigma' }, meta)).toEqual([]);
  });
});
