import fc from 'fast-check';
import { indicatorToStix12, readStix1Package } from '../../../src/domain/stix1';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { HASH_ALGORITHMS, normaliseIndicator, type IndicatorInput, type IndicatorKind, type NormalisedIndicator } from '../../../src/domain/indicators';
import { HASH_HEX_LENGTHS } from '../../../src/domain/indicators/file-hash';
import { indicatorContent, indicatorVersion } from '../../../src/domain/submission/indicator-object';
import type { KillChainPhase } from '../../../src/domain/submission/submission-document';
import { TLP_LEVELS } from '../../../src/domain/tenancy';
import { formatMicros, parseMicros } from '../../../src/domain/timestamps';
import { TLP2_MARKING_REFS, type TlpLevel } from '../../../src/domain/tlp';
import { CONTEXT, INDICATOR_ID, parsed, PROVIDER_ID } from './stix1-fixtures';

/**
 * Any indicator the hub writes for a submitted value survives STIX 2.1 → STIX 1.2 → STIX 2.1 with its
 * kind, its normalised value (the very pattern the hub wrote), its name, description, validity and kill
 * chain, and its TLP (AMBER+STRICT comes back AMBER: STIX 1.x has no AMBER+STRICT, a documented loss).
 * Confidence comes back as the value of its band (the documented loss of the High/Medium/Low/None scale).
 */

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });

const VALUES: Readonly<Record<IndicatorKind, fc.Arbitrary<Omit<IndicatorInput, 'kind'>>>> = {
  'email-sender-ip': fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('198.51.100.0/24', '2001:db8::/32')).map((value) => ({ value })),
  'email-from': fc.emailAddress().map((value) => ({ value })),
  'email-subject': fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map((value) => ({ value })),
  'email-attachment-name': fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((value) => ({ value })),
  'c2-hostname': fc.domain().map((value) => ({ value })),
  'c2-ip': fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.0/8', '2001:db8:abcd:12::/64')).map((value) => ({ value })),
  url: fc.webUrl({ withQueryParameters: true, withFragments: true }).map((value) => ({ value })),
  'file-hash': fc.constantFrom(...HASH_ALGORITHMS).chain((algorithm) => hex(HASH_HEX_LENGTHS[algorithm]).map((value) => ({ value, algorithm }))),
};

const normalisedIndicator: fc.Arbitrary<NormalisedIndicator> = fc
  .constantFrom(...(Object.keys(VALUES) as IndicatorKind[]))
  .chain((kind) => VALUES[kind].map((rest) => normaliseIndicator({ kind, ...rest })))
  .filter((result) => result.ok && !result.indicator.value.includes('##comma##'))
  .map((result) => (result.ok ? result.indicator : (undefined as never)));

const PHASES: readonly KillChainPhase[] = ['reconnaissance', 'delivery', 'command-and-control', 'actions-on-objectives'];

const settings = fc.record({
  tlp: fc.constantFrom<TlpLevel>(...TLP_LEVELS),
  confidence: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  killChainPhase: fc.option(fc.constantFrom(...PHASES), { nil: undefined }),
  description: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((d) => `About: ${d}.`), { nil: undefined }),
});

const BAND_VALUE = (confidence: number): number => (confidence === 0 ? 0 : confidence < 30 ? 15 : confidence < 70 ? 50 : 85);
const EXPECTED_LEVEL: Readonly<Record<TlpLevel, TlpLevel>> = { clear: 'clear', green: 'green', amber: 'amber', 'amber+strict': 'amber', red: 'red' };

test('a hub indicator of any kind goes to STIX 1.2 and back with its kind, value, marking and fields', () => {
  const kindsSeen = new Set<IndicatorKind>();
  fc.assert(
    fc.property(normalisedIndicator, settings, (normalised, chosen) => {
      kindsSeen.add(normalised.kind);
      const content = indicatorContent(normalised, {
        providerIdentityId: PROVIDER_ID,
        recipients: chosen.tlp === 'red' ? ['acme'] : [],
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: '2026-12-31T23:59:59.999Z',
        ...chosen,
      });
      const version = indicatorVersion(INDICATOR_ID, '2026-02-01T00:00:00.000Z', '2026-02-03T04:05:06.789Z', content);
      const outcome = indicatorToStix12(version, CONTEXT);
      if (!outcome.ok) throw new Error(`refused ${normalised.pattern}: ${outcome.reason}`);
      const reading = readStix1Package(parsed(outcome.packageXml));
      if (!reading.ok) throw new Error(reading.reason);
      expect(reading.unmapped).toEqual([]);
      const [back] = reading.indicators;
      if (back === undefined || !back.ok) throw new Error(`not read back: ${back?.ok === false ? back.reason : 'nothing'}`);
      expect(back.stix1Id).toBe(outcome.stix1Id);
      const mapped = back.indicator;
      expect(mapped.pattern).toBe(normalised.pattern);
      expect(mapped.extensions?.[HUB_EXTENSION_ID]).toEqual({
        extension_type: 'property-extension',
        kind: normalised.kind,
        ...(normalised.algorithm === undefined ? {} : { hash_algorithm: normalised.algorithm }),
        state: 'active',
        stix1_id: outcome.stix1Id,
        stix1_namespace: CONTEXT.idNamespace.uri,
      });
      expect(mapped.object_marking_refs).toEqual([TLP2_MARKING_REFS[EXPECTED_LEVEL[chosen.tlp]]]);
      expect(mapped.name).toBe(normalised.label.trim());
      expect(mapped.description).toBe(content.description);
      expect(mapped.modified).toBe(formatMicros(parseMicros('2026-02-03T04:05:06.789Z') as number));
      expect(mapped.valid_from).toBe('2026-01-01T00:00:00.000000Z');
      expect(mapped.valid_until).toBe('2026-12-31T23:59:59.999000Z');
      expect(mapped.kill_chain_phases).toEqual(content.kill_chain_phases);
      expect(mapped.confidence).toBe(chosen.confidence === undefined ? undefined : BAND_VALUE(chosen.confidence));
    }),
    { numRuns: 300 },
  );
  expect([...kindsSeen].sort()).toEqual([...Object.keys(VALUES)].sort());
});
