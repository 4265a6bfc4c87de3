import { HUB_EXTENSION_ID, redRecipientsOf } from '../../src/domain/hub-extension';

const base = { type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' };

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
