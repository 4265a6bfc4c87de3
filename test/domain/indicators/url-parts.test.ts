import fc from 'fast-check';
import { urlParts } from '../../../src/domain/indicators/url-parts';
import { normaliseIndicator } from '../../../src/domain/indicators';
import { HOSTILE_INPUTS } from '../feeds/feed-fixtures';

/**
 * urlParts reads a normalised URL exactly as WHATWG URL does, without building one per value; the path
 * and query are what a client sends (a bare `?` kept, which URL.search drops).
 */

function viaUrl(value: string): ReturnType<typeof urlParts> {
  const url = new URL(value);
  const bareQuestion = url.search === '' && url.href.split('#')[0]?.endsWith('?') ? '?' : '';
  return { protocol: url.protocol, hostname: url.hostname, host: url.host, pathAndQuery: `${url.pathname}${url.search}${bareQuestion}` };
}

function normalised(value: string): string | undefined {
  const result = normaliseIndicator({ kind: 'url', value });
  return result.ok ? result.indicator.value : undefined;
}

test('the hostile URLs read as URL reads them', () => {
  for (const input of HOSTILE_INPUTS.filter((i) => i.kind === 'url')) {
    const value = normalised(input.value) as string;
    expect(urlParts(value)).toEqual(viaUrl(value));
  }
});

test.each([
  'http://user:pa%40ss@evil.example:8080/a?b#c',
  'ftps://files.example:2121/x',
  'ws://[2001:db8::1]:81/',
  'http://evil.example/?',
  'http://evil.example/#only-a-fragment',
  'https://xn--bcher-kva.example/%C3%BC',
])('%s reads as URL reads it', (value) => {
  const canonical = normalised(value) as string;
  expect(urlParts(canonical)).toEqual(viaUrl(canonical));
});

test('any normalised web URL reads as URL reads it', () => {
  fc.assert(
    fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https', 'ftp', 'ws', 'wss'] }), (url) => {
      const value = normalised(url);
      if (value !== undefined) expect(urlParts(value)).toEqual(viaUrl(value));
    }),
    { numRuns: 500 },
  );
});

test('what is not a URL has no parts', () => {
  expect(urlParts('not a url')).toBeUndefined();
});
