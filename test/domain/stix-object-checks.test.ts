import { HUB_EXTENSION_ID, redRecipientsOf } from '../../src/domain/hub-extension';
import { checkStixObject } from '../../src/domain/stix-object-checks';

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const base = { type: 'indicator', spec_version: '2.1', id: ID, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z' };
const reason = (obj: unknown) => {
  const checked = checkStixObject(obj);
  return checked.ok ? undefined : checked.reason;
};

describe('checkStixObject: the minimal checks before an object is stored', () => {
  test('a valid object gives its id, type, spec version, version (modified, else created) and markings', () => {
    expect(checkStixObject({ ...base, object_marking_refs: ['marking-definition--x'] })).toEqual({
      ok: true,
      object: { id: ID, type: 'indicator', specVersion: '2.1', versionText: '2026-01-02T00:00:00.000Z', versionMicros: Date.parse('2026-01-02T00:00:00Z') * 1000, markingRefs: ['marking-definition--x'], object: { ...base, object_marking_refs: ['marking-definition--x'] } },
    });
    const { modified: _m, ...createdOnly } = base;
    expect(checkStixObject(createdOnly)).toMatchObject({ ok: true, object: { versionText: '2026-01-01T00:00:00.000Z' } });
  });

  test('an SCO may omit spec_version (STIX 2.1 reads it as 2.1) and has no version of its own', () => {
    const sco = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' };
    expect(checkStixObject(sco)).toMatchObject({ ok: true, object: { specVersion: '2.1', versionText: undefined, versionMicros: undefined, markingRefs: [] } });
  });

  test.each<[string, unknown, string]>([
    ['not an object', ['x'], 'an object must be a JSON object'],
    ['no type', { ...base, type: undefined }, 'type is required and must be a string'],
    ['a bad type name', { ...base, type: 'Indicator' }, 'type "Indicator" is not a valid STIX type name'],
    ['a bundle', { ...base, type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, 'type "bundle": a bundle is not an object; post its objects'],
    ['no id', { ...base, id: undefined }, 'id is required and must be a string'],
    ['an id of another type', { ...base, id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, `id "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" must be "indicator--" followed by a UUID`],
    ['no spec_version on an SDO', { ...base, spec_version: undefined }, 'spec_version is required (without it the object is STIX 2.0; this collection holds STIX 2.1)'],
    ['STIX 2.0', { ...base, spec_version: '2.0' }, 'spec_version must be "2.1" (got "2.0")'],
    ['a created that is no timestamp', { ...base, created: 42 }, 'created must be a timestamp such as 2026-01-31T12:00:00.000Z'],
    ['modified before created', { ...base, modified: '2025-12-31T23:59:59.999Z' }, 'modified must not be earlier than created'],
    ['markings that are not a list of ids', { ...base, object_marking_refs: 'marking-definition--x' }, 'object_marking_refs must be a list of marking-definition ids'],
  ])('%s: refused, naming the field', (_name, obj, expected) => {
    expect(reason(obj)).toBe(expected);
  });
});

describe('redRecipientsOf: RED recipients named in the hub extension', () => {
  const withExtension = (extension: unknown) => ({ ...base, extensions: { [HUB_EXTENSION_ID]: extension } });

  test('reads the named organizations, sorted and without repeats; none without the extension', () => {
    expect(redRecipientsOf(withExtension({ extension_type: 'property-extension', red_recipients: ['b', 'a', 'b'] }))).toEqual({ ok: true, recipients: ['a', 'b'] });
    expect(redRecipientsOf(base)).toEqual({ ok: true, recipients: [] });
    expect(redRecipientsOf({ ...base, extensions: { 'extension-definition--other': {} } })).toEqual({ ok: true, recipients: [] });
  });

  test.each([
    ['not a dictionary', ['a']],
    ['another extension type', { extension_type: 'new-sdo', red_recipients: ['a'] }],
    ['an empty list', { extension_type: 'property-extension', red_recipients: [] }],
    ['a list with a non-string', { extension_type: 'property-extension', red_recipients: ['a', 7] }],
  ])('a malformed extension (%s) is an error', (_name, extension) => {
    expect(redRecipientsOf(withExtension(extension)).ok).toBe(false);
  });
});
