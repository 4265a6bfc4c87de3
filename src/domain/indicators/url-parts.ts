/**
 * The parts of a stored URL indicator that sensor formats and warning lists read. Values are the hub's normalised URLs (WHATWG
 * serialisation), so a pattern reads them without building a URL object per value (a feed may hold
 * a million); anything the pattern does not read is parsed by URL.
 */

export interface UrlParts {
  /** `http:`, as URL.protocol. */
  readonly protocol: string;
  /** The host without the port (an IPv6 address in brackets), as URL.hostname. */
  readonly hostname: string;
  /** The host with the port when it is not the default, as URL.host. */
  readonly host: string;
  /** The path and query as a client sends them (a bare `?` kept), without the fragment. */
  readonly pathAndQuery: string;
}

const SERIALISED = /^([a-z][a-z0-9+.-]*:)\/\/(?:[^@/?#]*@)?(\[[0-9a-f:.]+\]|[^:/?#@[\]]+)(?::([0-9]+))?(\/[^?#]*)(\?[^#]*)?(?:#.*)?$/;

/** The query with its `?` (URL.search drops a bare `?`), without the fragment. */
function queryOf(href: string): string {
  const withoutFragment = href.split('#')[0] ?? '';
  const question = withoutFragment.indexOf('?');
  return question < 0 ? '' : withoutFragment.slice(question);
}

export function urlParts(value: string): UrlParts | undefined {
  const match = SERIALISED.exec(value);
  if (match) {
    const [, protocol = '', hostname = '', port, path = '', query = ''] = match;
    return { protocol, hostname, host: port === undefined ? hostname : `${hostname}:${port}`, pathAndQuery: `${path}${query}` };
  }
  try {
    const url = new URL(value);
    if (url.hostname === '') return undefined;
    return { protocol: url.protocol, hostname: url.hostname, host: url.host, pathAndQuery: `${url.pathname}${queryOf(url.href)}` };
  } catch {
    return undefined;
  }
}
