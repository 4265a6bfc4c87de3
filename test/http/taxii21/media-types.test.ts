import { acceptsTaxii21, parseAccept } from '../../../src/http/taxii21/media-types';

describe('TAXII 2.1 content negotiation', () => {
  test.each([
    ['application/taxii+json;version=2.1'],
    ['application/taxii+json'],
    ['APPLICATION/TAXII+JSON; Version=2.1'],
    ['application/taxii+json ; version="2.1"'],
    ['*/*'],
    ['application/*'],
    ['application/json, text/plain, */*'],
    ['application/taxii+json;version=2.0, application/taxii+json;version=2.1;q=0.5'],
    ['text/html;q=0.9, application/taxii+json;version=2.1;q=0.1'],
  ])('a client sending Accept %p gets TAXII 2.1', (accept) => {
    expect(acceptsTaxii21(accept)).toBe(true);
  });

  test('a client that sends no Accept header gets TAXII 2.1', () => {
    expect(acceptsTaxii21(undefined)).toBe(true);
  });

  test.each([
    [''],
    ['application/json'],
    ['application/taxii+json;version=2.0'],
    ['application/stix+json;version=2.1'],
    ['text/*'],
    ['application/taxii+json;version=2.1;q=0'],
    ['*/*, application/taxii+json;q=0'],
    ['application/*, application/taxii+json;version=2.1;q=0'],
    ['application/taxii+json;version=2.1;q=banana'],
    ['not a media type'],
  ])('a client sending Accept %p is refused', (accept) => {
    expect(acceptsTaxii21(accept)).toBe(false);
  });

  test('parameters after q are not media type parameters', () => {
    expect(parseAccept('application/taxii+json;version=2.1;q=0.5;ext=1')).toEqual([
      { type: 'application', subtype: 'taxii+json', params: new Map([['version', '2.1']]), q: 0.5 },
    ]);
  });

  test('a comma inside a quoted parameter does not split the list', () => {
    expect(parseAccept('application/taxii+json;foo="a,b", text/plain')).toHaveLength(2);
  });
});
