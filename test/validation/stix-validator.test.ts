import { createStixValidator, STIX_SCHEMA_TYPES } from '../../src/validation/stix-validator';
import {
  EMAIL_ADDR_ID, IDENTITY_ID, INDICATOR_ID, IPV4_ID, LOCATION_ID, MALWARE_ID, TLP_AMBER, VALID_EXAMPLES, withChanges,
  type StixExample,
} from './stix-examples';

const validate = createStixValidator();

const example = (name: string): StixExample => {
  const found = VALID_EXAMPLES[name];
  if (found === undefined) throw new Error(`no example ${name}`);
  return found;
};

describe('valid STIX 2.1 objects pass', () => {
  test.each(Object.keys(VALID_EXAMPLES))('%s', (name) => {
    expect(validate(example(name))).toEqual({ ok: true });
  });

  test('every type with a schema of its own has a valid example', () => {
    const covered = new Set(Object.values(VALID_EXAMPLES).map((e) => e.type));
    expect(STIX_SCHEMA_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });
});

const OTHER_ID = 'indicator--2f1e0d9c-8b7a-4654-a321-0fedcba98765';
const indicator = (changes: StixExample) => withChanges(example('indicator'), changes);

/** [description, object, path of a reported problem, fragment of its message]. */
const INVALID: readonly (readonly [string, unknown, string, string])[] = [
  // Whole object and type
  ['a JSON array', [], '(root)', 'must be a JSON object'],
  ['null', null, '(root)', 'must be a JSON object'],
  ['a bundle', { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [] }, 'type', 'bundle is not a STIX object'],
  ['no type', indicator({ type: undefined }), 'type', 'is required'],
  ['an upper-case type', withChanges(example('custom object (x-)'), { type: 'X-Acme', id: 'X-Acme--6a8b2c4d-1e3f-4a5b-9c7d-0e1f2a3b4c5d' }), 'type', 'STIX type name'],
  ['a type with a double hyphen', withChanges(example('custom object (x-)'), { type: 'x--acme' }), 'type', 'single hyphens'],
  ['a type of two characters', withChanges(example('custom object (x-)'), { type: 'xa', id: 'xa--6a8b2c4d-1e3f-4a5b-9c7d-0e1f2a3b4c5d' }), 'type', 'must NOT have fewer than 3 characters'],
  ['a type of 251 characters', withChanges(example('custom object (x-)'), { type: `x-${'a'.repeat(249)}` }), 'type', 'must NOT have more than 250'],
  ['a type starting with a digit', withChanges(example('custom object (x-)'), { type: '9-acme', id: '9-acme--6a8b2c4d-1e3f-4a5b-9c7d-0e1f2a3b4c5d' }), 'type', 'starting with a letter'],
  // Identifiers
  ['no id', indicator({ id: undefined }), 'id', 'is required'],
  ['an id of another type', indicator({ id: MALWARE_ID }), 'id', 'must start with "indicator--"'],
  ['an id without a UUID', indicator({ id: 'indicator--42' }), 'id', 'type--UUID'],
  ['an id with an upper-case UUID', indicator({ id: INDICATOR_ID.toUpperCase().replace('INDICATOR', 'indicator') }), 'id', 'lower-case'],
  ['an id with a single hyphen', indicator({ id: 'indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }), 'id', 'type--UUID'],
  ['an id whose UUID is not RFC 4122', indicator({ id: 'indicator--8e2e2d2b-17d4-0cbf-738f-98ee46b3cd3f' }), 'id', 'type--UUID'],
  ['an SCO id of another type', withChanges(example('ipv4-addr'), { id: EMAIL_ADDR_ID }), 'id', 'must start with "ipv4-addr--"'],
  // spec_version
  ['spec_version 2.0', indicator({ spec_version: '2.0' }), 'spec_version', 'must be one of "2.1"'],
  ['spec_version missing on an SDO', indicator({ spec_version: undefined }), 'spec_version', 'is required'],
  ['spec_version as a number', indicator({ spec_version: 2.1 }), 'spec_version', 'must be one of "2.1"'],
  ['spec_version 2.0 on an SCO', withChanges(example('url'), { spec_version: '2.0' }), 'spec_version', 'must be one of "2.1"'],
  // Timestamps
  ['no created', indicator({ created: undefined }), 'created', 'is required'],
  ['no modified', indicator({ modified: undefined }), 'modified', 'is required'],
  ['created in words', indicator({ created: 'yesterday' }), 'created', 'STIX timestamp'],
  ['created with an offset', indicator({ created: '2026-01-31T12:00:00.000+01:00' }), 'created', 'in UTC'],
  ['created on February 30', indicator({ created: '2026-02-30T12:00:00.000Z' }), 'created', 'STIX timestamp'],
  ['created without milliseconds', indicator({ created: '2026-01-31T12:00:00Z' }), 'created', 'millisecond precision'],
  ['created with a lower-case t', indicator({ created: '2026-01-31t12:00:00.000Z' }), 'created', 'STIX timestamp'],
  ['modified earlier than created', indicator({ modified: '2026-01-30T12:00:00.000Z' }), 'modified', 'must not be earlier than created'],
  ['modified a fraction of a second before created', indicator({ created: '2026-01-31T12:00:00.500Z', modified: '2026-01-31T12:00:00.4999Z' }), 'modified', 'must not be earlier than created'],
  ['valid_from as a date', indicator({ valid_from: '2026-01-31' }), 'valid_from', 'STIX timestamp'],
  ['valid_until equal to valid_from', indicator({ valid_until: '2026-01-31T12:00:00Z' }), 'valid_until', 'must be later than valid_from'],
  ['valid_until before valid_from', indicator({ valid_until: '2025-01-31T12:00:00Z' }), 'valid_until', 'must be later than valid_from'],
  ['sighting last_seen before first_seen', withChanges(example('sighting'), { last_seen: '2026-01-30T12:00:00Z' }), 'last_seen', 'must not be earlier than first_seen'],
  ['campaign last_seen before first_seen', withChanges(example('campaign'), { last_seen: '2025-12-31T00:00:00Z' }), 'last_seen', 'first_seen'],
  ['observed-data last before first', withChanges(example('observed-data'), { last_observed: '2026-01-31T10:00:00Z' }), 'last_observed', 'first_observed'],
  ['relationship stop_time before start_time', withChanges(example('relationship'), { stop_time: '2025-01-01T00:00:00Z' }), 'stop_time', 'later than start_time'],
  ['a report without published', withChanges(example('report'), { published: undefined }), 'published', 'is required'],
  // Common properties
  ['confidence 101', indicator({ confidence: 101 }), 'confidence', 'must be <= 100'],
  ['confidence -1', indicator({ confidence: -1 }), 'confidence', 'must be >= 0'],
  ['confidence 50.5', indicator({ confidence: 50.5 }), 'confidence', 'must be integer'],
  ['revoked as a string', indicator({ revoked: 'yes' }), 'revoked', 'must be boolean'],
  ['an empty labels list', indicator({ labels: [] }), 'labels', 'must NOT have fewer than 1 items'],
  ['a label that is not a string', indicator({ labels: ['phishing', 7] }), 'labels[1]', 'must be string'],
  ['lang that is not a language tag', indicator({ lang: 'english!' }), 'lang', 'RFC 5646'],
  ['an external reference without source_name', indicator({ external_references: [{ url: 'https://example.com' }] }), 'external_references[0].source_name', 'is required'],
  ['an external reference URL that is not a URL', indicator({ external_references: [{ source_name: 'x', url: 'not a url' }] }), 'external_references[0].url', 'must match format "uri"'],
  ['a kill chain phase without phase_name', indicator({ kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain' }] }), 'kill_chain_phases[0].phase_name', 'is required'],
  // Markings
  ['an object marking ref to an identity', indicator({ object_marking_refs: [IDENTITY_ID] }), 'object_marking_refs[0]', 'marking-definition identifier'],
  ['an object marking ref that is a TLP name', indicator({ object_marking_refs: ['TLP:AMBER'] }), 'object_marking_refs[0]', 'marking-definition--UUID'],
  ['object_marking_refs as a string', indicator({ object_marking_refs: TLP_AMBER }), 'object_marking_refs', 'must be array'],
  ['a granular marking without selectors', indicator({ granular_markings: [{ marking_ref: TLP_AMBER }] }), 'granular_markings[0].selectors', 'is required'],
  ['a granular marking with both lang and marking_ref', indicator({ granular_markings: [{ marking_ref: TLP_AMBER, lang: 'en', selectors: ['name'] }] }), 'granular_markings[0]', 'exactly one of lang and marking_ref'],
  ['a granular marking ref to an indicator', indicator({ granular_markings: [{ marking_ref: OTHER_ID, selectors: ['name'] }] }), 'granular_markings[0].marking_ref', 'marking-definition identifier'],
  ['a marking-definition without a definition or extension', withChanges(example('marking-definition (TLP 1.0)'), { definition_type: undefined, definition: undefined }), 'definition_type', 'unless an extension'],
  ['a marking-definition with definition_type but no definition', withChanges(example('marking-definition (TLP 1.0)'), { definition: undefined }), 'definition', 'is required when definition_type'],
  ['a TLP 1.0 marking with the level "purple"', withChanges(example('marking-definition (TLP 1.0)'), { definition: { tlp: 'purple' } }), 'definition.tlp', 'must be one of'],
  ['a TLP 2.0 marking with the level "white"', withChanges(example('marking-definition (TLP 2.0 extension)'), {
    extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'white' } },
  }), 'extensions.extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.tlp_2_0', 'must be one of'],
  ['a marking-definition without created', withChanges(example('marking-definition (TLP 1.0)'), { created: undefined }), 'created', 'is required'],
  // Reference types
  ['created_by_ref to an indicator', indicator({ created_by_ref: OTHER_ID }), 'created_by_ref', 'must be the id of an identity, not of an indicator'],
  ['created_by_ref that is not an id', indicator({ created_by_ref: 'ACME' }), 'created_by_ref', 'STIX identifier'],
  ['a relationship to a marking-definition', withChanges(example('relationship'), { target_ref: TLP_AMBER }), 'target_ref', 'an SDO or SCO'],
  ['a relationship from a sighting', withChanges(example('relationship'), { source_ref: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75' }), 'source_ref', 'an SDO or SCO'],
  ['a relationship without relationship_type', withChanges(example('relationship'), { relationship_type: undefined }), 'relationship_type', 'is required'],
  ['a sighting of an SCO', withChanges(example('sighting'), { sighting_of_ref: IPV4_ID }), 'sighting_of_ref', 'must be the id of an SDO'],
  ['a sighting where_sighted_refs to a malware', withChanges(example('sighting'), { where_sighted_refs: [LOCATION_ID, MALWARE_ID] }), 'where_sighted_refs[1]', 'an identity or a location'],
  ['a sighting observed_data_refs to an indicator', withChanges(example('sighting'), { observed_data_refs: [INDICATOR_ID] }), 'observed_data_refs[0]', 'an observed-data'],
  ['a sighting count above the maximum', withChanges(example('sighting'), { count: 1_000_000_000 }), 'count', 'must be <= 999999999'],
  ['observed-data referring to an indicator', withChanges(example('observed-data'), { object_refs: [INDICATOR_ID] }), 'object_refs[0]', 'an SCO or a relationship'],
  ['an email-message from an ipv4-addr', withChanges(example('email-message'), { from_ref: IPV4_ID }), 'from_ref', 'an email-addr'],
  ['a domain-name resolving to a url', withChanges(example('domain-name'), { resolves_to_refs: ['url--c1477287-23ac-5971-a010-5c287877fa60'] }), 'resolves_to_refs[0]', 'an ipv4-addr or an ipv6-addr or a domain-name'],
  // Per-type required properties and values
  ['an indicator without pattern', indicator({ pattern: undefined }), 'pattern', 'is required'],
  ['an indicator without pattern_type', indicator({ pattern_type: undefined }), 'pattern_type', 'is required'],
  ['an indicator without valid_from', indicator({ valid_from: undefined }), 'valid_from', 'is required'],
  ['an indicator with an empty pattern', indicator({ pattern: '' }), 'pattern', 'must NOT have fewer than 1 characters'],
  // STIX patterns (pattern_type stix) are parsed
  ['a STIX pattern with == for =', indicator({ pattern: "[ipv4-addr:value == '203.0.113.42']" }), 'pattern', "is not a valid STIX pattern: at position 18, expected a constant after '=', found '='"],
  ['a STIX pattern without its closing bracket', indicator({ pattern: "[ipv4-addr:value = '203.0.113.42'" }), 'pattern', 'is not a valid STIX pattern: at position 33, expected \']\''],
  ['a STIX pattern that is a bare value', indicator({ pattern: '203.0.113.42' }), 'pattern', 'is not a valid STIX pattern: at position 0,'],
  ['a STIX pattern with a lower-case keyword', indicator({ pattern: "[ipv4-addr:value = '203.0.113.42'] or [ipv4-addr:value = '203.0.113.43']" }), 'pattern', 'keywords are case-sensitive'],
  ['a STIX pattern whose STOP is before START', indicator({ pattern: "[file:name = 'a.exe'] START t'2026-02-01T00:00:00Z' STOP t'2026-01-01T00:00:00Z'" }), 'pattern', 'must be later than START'],
  ['a STIX pattern with a timestamp on February 30', indicator({ pattern: "[file:created = t'2026-02-30T00:00:00Z']" }), 'pattern', 'at position 16, invalid timestamp'],
  ['indicator_types that are not vocabulary terms', indicator({ indicator_types: ['Malicious Activity'] }), 'indicator_types[0]', 'vocabulary term'],
  ['an identity without name', withChanges(example('identity'), { name: undefined }), 'name', 'is required'],
  ['an opinion of "maybe"', withChanges(example('opinion'), { opinion: 'maybe' }), 'opinion', 'must be one of'],
  ['a note without object_refs', withChanges(example('note'), { object_refs: undefined }), 'object_refs', 'is required'],
  ['a grouping without context', withChanges(example('grouping'), { context: undefined }), 'context', 'is required'],
  ['a campaign without name', withChanges(example('campaign'), { name: undefined }), 'name', 'is required'],
  ['a malware without is_family', withChanges(example('malware'), { is_family: undefined }), 'is_family', 'is required'],
  ['a malware family without name', withChanges(example('malware'), { name: undefined }), 'name', 'is required when is_family is true'],
  ['observed-data without object_refs', withChanges(example('observed-data'), { object_refs: undefined }), 'object_refs', 'is required'],
  ['observed-data with number_observed 0', withChanges(example('observed-data'), { number_observed: 0 }), 'number_observed', 'must be >= 1'],
  ['an extension-definition without created_by_ref', withChanges(example('extension-definition'), { created_by_ref: undefined }), 'created_by_ref', 'is required'],
  ['an extension-definition of an unknown extension type', withChanges(example('extension-definition'), { extension_types: ['new-thing'] }), 'extension_types[0]', 'must be one of'],
  // SCOs
  ['an ipv4-addr of 256.1.1.1', withChanges(example('ipv4-addr'), { value: '256.1.1.1' }), 'value', 'IPv4 address'],
  ['an ipv4-addr with prefix /33', withChanges(example('ipv4-addr'), { value: '198.51.100.0/33' }), 'value', 'IPv4 address'],
  ['an ipv4-addr without value', withChanges(example('ipv4-addr'), { value: undefined }), 'value', 'is required'],
  ['an ipv6-addr with two ::', withChanges(example('ipv6-addr'), { value: '2001::db8::1' }), 'value', 'IPv6 address'],
  ['an ipv6-addr with an IPv4 value', withChanges(example('ipv6-addr'), { value: '203.0.113.42' }), 'value', 'IPv6 address'],
  ['a domain-name with a space', withChanges(example('domain-name'), { value: 'evil example.com' }), 'value', 'domain name'],
  ['a domain-name with a label of 64 characters', withChanges(example('domain-name'), { value: `${'a'.repeat(64)}.com` }), 'value', 'domain name'],
  ['a url without a scheme', withChanges(example('url'), { value: 'evil-example.com/payload' }), 'value', 'RFC 3986 URL'],
  ['an email-addr without @', withChanges(example('email-addr'), { value: 'billing.invoices-example.net' }), 'value', 'e-mail address'],
  ['an email-message without is_multipart', withChanges(example('email-message'), { is_multipart: undefined }), 'is_multipart', 'is required'],
  ['a multipart email-message with a body', withChanges(example('email-message (multipart)'), { body: 'text' }), 'body', 'must be absent when is_multipart is true'],
  ['a file with neither hashes nor name', withChanges(example('file'), { hashes: undefined, name: undefined }), 'hashes', 'hashes or a name'],
  ['a file with a short SHA-256', withChanges(example('file'), { hashes: { 'SHA-256': 'abc123' } }), 'hashes.SHA-256', '64 hexadecimal digits'],
  ['a file MD5 with a non-hex digit', withChanges(example('file'), { hashes: { MD5: 'z9054025255fb1a26e4bc422aef54eb4' } }), 'hashes.MD5', '32 hexadecimal digits'],
  ['a file with an empty hashes dictionary', withChanges(example('file'), { hashes: {} }), 'hashes', 'must NOT have fewer than 1 properties'],
  ['a file hash key with a space', withChanges(example('file'), { hashes: { 'SHA 256': 'x' } }), 'hashes.SHA 256', 'dictionary key'],
  ['a file with a negative size', withChanges(example('file'), { size: -1 }), 'size', 'must be >= 0'],
  // Custom properties, objects and extensions
  ['a custom property with upper-case letters', indicator({ x_Acme_score: 1 }), 'x_Acme_score', 'valid STIX property name'],
  ['a custom property with a hyphen', indicator({ 'x-acme-score': 1 }), 'x-acme-score', 'valid STIX property name'],
  ['a custom property of two characters', indicator({ xa: 1 }), 'xa', '3 to 250 characters'],
  ['a custom property starting with a digit', indicator({ '1x_acme': 1 }), '1x_acme', 'starting with a letter'],
  ['a custom property of 251 characters', indicator({ [`x_${'a'.repeat(249)}`]: 1 }), `x_${'a'.repeat(249)}`, 'valid STIX property name'],
  ['a custom property on an SCO with a dot', withChanges(example('url'), { 'x_acme.score': 1 }), 'x_acme.score', 'valid STIX property name'],
  ['a custom object without created', withChanges(example('custom object (x-)'), { created: undefined }), 'created', 'is required'],
  ['a custom object without spec_version', withChanges(example('custom object (x-)'), { spec_version: undefined }), 'spec_version', 'is required'],
  ['an extension with an arbitrary key', indicator({ extensions: { acme: { score: 1 } } }), 'extensions.acme', 'extension-definition identifier'],
  ['an extension that is not an object', indicator({ extensions: { 'extension-definition--2f7e1c3a-5b4d-4e6f-8a9b-0c1d2e3f4a5b': 'on' } }), 'extensions.extension-definition--2f7e1c3a-5b4d-4e6f-8a9b-0c1d2e3f4a5b', 'must be object'],
  ['an extension with an unknown extension_type', indicator({ extensions: { 'extension-definition--2f7e1c3a-5b4d-4e6f-8a9b-0c1d2e3f4a5b': { extension_type: 'plugin' } } }), 'extensions.extension-definition--2f7e1c3a-5b4d-4e6f-8a9b-0c1d2e3f4a5b.extension_type', 'must be one of'],
];

describe('invalid STIX 2.1 objects are rejected with the field and the reason', () => {
  test('the table holds at least 60 cases', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(60);
  });

  test.each(INVALID)('%s', (_name, object, path, fragment) => {
    const result = validate(object);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContainEqual({ path, message: expect.stringContaining(fragment) });
  });
});

describe('indicator patterns', () => {
  test('a pattern of another pattern_type is stored unparsed', () => {
    for (const [patternType, pattern] of [
      ['snort', 'alert tcp any any -> 203.0.113.42 80 (msg:"C2"; sid:1000001;)'],
      ['yara', 'rule c2 { strings: $a = "203.0.113.42" condition: $a }'],
      ['sigma', 'detection: { selection: { DestinationIp: 203.0.113.42 }, condition: selection }'],
    ]) {
      expect([patternType, validate(indicator({ pattern_type: patternType, pattern, pattern_version: undefined }))]).toEqual([patternType, { ok: true }]);
    }
  });

  test('text that is no STIX pattern passes only under another pattern_type', () => {
    const pattern = 'alert tcp any any -> 203.0.113.42 80';
    expect(validate(indicator({ pattern_type: 'snort', pattern }))).toEqual({ ok: true });
    expect(validate(indicator({ pattern_type: 'stix', pattern }))).toEqual({
      ok: false,
      // The whole pattern is tokenized before it is parsed: the first error is the lexer's.
      problems: [{ path: 'pattern', message: "is not a valid STIX pattern: at position 18, unexpected '-': a sign must be followed by a number" }],
    });
  });

  test('a pattern problem is reported with the other problems of the object', () => {
    const result = validate(indicator({ pattern: '[ipv4-addr:value = ]', modified: '2026-01-30T00:00:00.000Z', confidence: 101 }));
    expect(result.ok ? [] : result.problems.map((p) => p.path).sort()).toEqual(['confidence', 'modified', 'pattern']);
  });
});

describe("the hub's RED recipients extension", () => {
  const hubExtension = {
    'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70': { extension_type: 'property-extension', red_recipients: ['acme-west'] },
  };

  test.each(Object.keys(VALID_EXAMPLES))('is accepted on %s', (name) => {
    const object = example(name);
    const extensions = { ...(object.extensions as Record<string, unknown> | undefined), ...hubExtension };
    expect(validate(withChanges(object, { extensions }))).toEqual({ ok: true });
  });
});

describe('reports', () => {
  test('every problem of an object is reported at once', () => {
    const result = validate(indicator({ confidence: 101, created_by_ref: OTHER_ID, pattern: undefined }));
    expect(result.ok ? [] : result.problems.map((p) => p.path).sort()).toEqual(['confidence', 'created_by_ref', 'pattern']);
  });

  test('a bad timestamp is reported once, not once per rule it breaks', () => {
    const result = validate(indicator({ valid_from: 'soon' }));
    expect(result.ok ? [] : result.problems).toEqual([{ path: 'valid_from', message: expect.stringContaining('STIX timestamp') }]);
  });

  test('timestamps compare by their value, whatever their number of fractional digits', () => {
    expect(validate(indicator({ created: '2026-01-31T12:00:00.100Z', modified: '2026-01-31T12:00:00.1000001Z' }))).toEqual({ ok: true });
    expect(validate(indicator({ created: '2026-01-31T12:00:00.100Z', modified: '2026-01-31T12:00:00.100000Z' }))).toEqual({ ok: true });
  });

  test('the validator does not change the object it checks', () => {
    const object = structuredClone(example('indicator'));
    validate(object);
    expect(object).toEqual(example('indicator'));
  });
});
