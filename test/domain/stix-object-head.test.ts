import { readStixObjectHead } from '../../src/domain/stix-object-head';

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const base = {
  type: 'indicator', spec_version: '2.1', id: ID, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
};

describe('readStixObjectHead: what the hub reads from a validated object', () => {
  test('id, type, spec version, version (modified, else created) in microseconds, and markings', () => {
    const object = { ...base, object_marking_refs: [TLP_GREEN] };
    expect(readStixObjectHead(object)).toEqual({
      ok: true,
      head: {
        id: ID, type: 'indicator', specVersion: '2.1',
        versionText: '2026-01-02T00:00:00.000Z', versionMicros: Date.parse('2026-01-02T00:00:00Z') * 1000,
        markingRefs: [TLP_GREEN], object,
      },
    });
  });

  test('an object with created only (a marking-definition) is versioned by created', () => {
    const marking = {
      type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--4e1b5c6a-2f3d-4b7e-9c8a-0d1e2f3a4b5c',
      created: '2026-01-05T10:00:00.123456Z', definition_type: 'statement', definition: { statement: 'Copyright ACME' },
    };
    expect(readStixObjectHead(marking)).toMatchObject({
      ok: true,
      head: { versionText: '2026-01-05T10:00:00.123456Z', versionMicros: Date.parse('2026-01-05T10:00:00.123Z') * 1000 + 456, markingRefs: [] },
    });
  });

  test('an SCO may omit spec_version (STIX 2.1 reads it as 2.1) and has no version of its own', () => {
    const sco = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' };
    expect(readStixObjectHead(sco)).toMatchObject({ ok: true, head: { specVersion: '2.1', versionText: undefined, versionMicros: undefined, markingRefs: [] } });
  });

  test('a version timestamp STIX allows but microseconds cannot hold (a leap second) is refused, naming the field', () => {
    expect(readStixObjectHead({ ...base, modified: '2016-12-31T23:59:60.000Z' })).toEqual({
      ok: false,
      problem: { path: 'modified', message: expect.stringContaining('leap second') },
    });
  });
});
