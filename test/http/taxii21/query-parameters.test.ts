import { isHubError } from '../../../src/domain/errors';
import { MAX_PAGE_LIMIT } from '../../../src/domain/object-filters';
import { parseObjectQuery, rawQueryOf } from '../../../src/http/taxii21/query-parameters';

const T = '2026-01-31T12:00:00.123456Z';
const T_MICROS = Date.UTC(2026, 0, 31, 12, 0, 0, 123) * 1000 + 456;

/** The description of the 400 the query raises. */
function rejection(query: string, endpoint: Parameters<typeof parseObjectQuery>[1] = 'objects'): string {
  try {
    parseObjectQuery(query, endpoint);
  } catch (error) {
    if (isHubError(error) && error.code === 'BAD_REQUEST') return error.message;
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

describe('TAXII 2.1 URL parameters', () => {
  test('the query string is read raw: match[type] stays one parameter with a comma list', () => {
    expect(parseObjectQuery('match[type]=indicator,malware', 'objects')).toEqual({ types: ['indicator', 'malware'] });
  });

  test('percent-encoded brackets and commas mean the same', () => {
    expect(parseObjectQuery('match%5Btype%5D=indicator%2Cmalware&match%5Bid%5D=indicator--1', 'objects')).toEqual({ types: ['indicator', 'malware'], ids: ['indicator--1'] });
  });

  test('lists are deduplicated and sorted, and stray spaces are tolerated', () => {
    expect(parseObjectQuery('match[type]=malware, indicator,malware', 'objects')).toEqual({ types: ['indicator', 'malware'] });
  });

  test('every filter of Get Objects, parsed', () => {
    const query = `added_after=${T}&limit=10&next=abc.def&match[id]=indicator--1&match[type]=indicator&match[version]=last,first,${T}&match[spec_version]=2.1,2.0`;
    expect(parseObjectQuery(query, 'objects')).toEqual({
      addedAfter: T_MICROS,
      limit: 10,
      next: 'abc.def',
      ids: ['indicator--1'],
      types: ['indicator'],
      versions: { kind: 'some', first: true, last: true, at: [T_MICROS] },
      specVersions: ['2.0', '2.1'],
    });
  });

  test('match[version]=all swallows the other values of the union', () => {
    expect(parseObjectQuery('match[version]=first,all', 'objects')).toEqual({ versions: { kind: 'all' } });
  });

  test('added_after takes timestamps without fraction and with offsets', () => {
    expect(parseObjectQuery('added_after=2026-01-31T12:00:00Z', 'objects')).toEqual({ addedAfter: Date.UTC(2026, 0, 31, 12) * 1000 });
    expect(parseObjectQuery('added_after=2026-01-31T13:00:00%2B01:00', 'objects')).toEqual({ addedAfter: Date.UTC(2026, 0, 31, 12) * 1000 });
    // An unencoded '+' decodes to a space; read as the '+' it was.
    expect(parseObjectQuery('added_after=2026-01-31T13:00:00+01:00', 'objects')).toEqual({ addedAfter: Date.UTC(2026, 0, 31, 12) * 1000 });
  });

  test('a repeated match[...] key is a 400, also when its brackets are encoded differently', () => {
    expect(rejection('match[type]=indicator&match[type]=malware')).toMatch(/match\[type\] must not occur more than once/);
    expect(rejection('match[id]=a&match%5Bid%5D=b')).toMatch(/match\[id\]/);
    expect(rejection('match[name]=a&match[name]=b')).toMatch(/match\[name\]/);
    expect(rejection('limit=1&limit=2')).toMatch(/limit/);
    expect(rejection('added_after=x&added_after=y')).toMatch(/added_after/);
  });

  test('malformed values are a 400 naming the parameter', () => {
    expect(rejection('added_after=yesterday')).toMatch(/added_after must be a timestamp/);
    expect(rejection('added_after=2026-02-30T00:00:00Z')).toMatch(/added_after/);
    expect(rejection('match[version]=newest')).toMatch(/match\[version\]/);
    expect(rejection('match[spec_version]=two')).toMatch(/match\[spec_version\]/);
    expect(rejection('match[type]=')).toMatch(/match\[type\] has an empty value/);
    expect(rejection('match[id]=a,,b')).toMatch(/match\[id\]/);
    expect(rejection('next=')).toMatch(/next/);
  });

  test('limit must be a positive integer; above the server maximum it is clamped', () => {
    for (const bad of ['0', '-20', '1.5', 'ten', '', '000']) expect(rejection(`limit=${bad}`)).toMatch(/limit must be a positive integer/);
    expect(parseObjectQuery('limit=5000', 'objects')).toEqual({ limit: MAX_PAGE_LIMIT });
    expect(parseObjectQuery('limit=99999999999999999999999', 'objects')).toEqual({ limit: MAX_PAGE_LIMIT });
    expect(parseObjectQuery('limit=1', 'objects')).toEqual({ limit: 1 });
  });

  test('unknown parameters are ignored', () => {
    expect(parseObjectQuery('match[name]=x&foo=bar&foo=baz&match[type]=indicator', 'objects')).toEqual({ types: ['indicator'] });
  });

  test('each endpoint reads only its own parameters and ignores the others, malformed or not', () => {
    const query = 'added_after=bad&limit=0&match[id]=&match[type]=x&match[version]=last&match[spec_version]=2.1';
    expect(parseObjectQuery(query, 'delete')).toEqual({ versions: { kind: 'some', first: false, last: true, at: [] }, specVersions: ['2.1'] });
    expect(parseObjectQuery('match[id]=a&match[type]=b&match[version]=first&limit=3', 'versions')).toEqual({ limit: 3 });
    expect(parseObjectQuery('match[id]=a&match[type]=b&match[version]=first', 'object')).toEqual({ versions: { kind: 'some', first: true, last: false, at: [] } });
    expect(parseObjectQuery('match[id]=a&match[type]=b', 'manifest')).toEqual({ ids: ['a'], types: ['b'] });
  });

  test('the raw query string of a request URL', () => {
    expect(rawQueryOf('/demo/collections/x/objects/?match[type]=a&limit=2')).toBe('match[type]=a&limit=2');
    expect(rawQueryOf('/demo/collections/x/objects/')).toBe('');
  });
});
