import type { IndicatorKind } from '../indicators';
import { addressInterval, type AddressInterval } from './ip-range-list';

/**
 * What of a stored indicator value a list is checked against: an address or network (IP kinds, a
 * URL whose host is an address), a host name (C2 host names, a URL's host, a From address's
 * domain) or a digest. `shown` names the part in a warning's text.
 */
export type CheckedSubject =
  | { readonly type: 'address'; readonly interval: AddressInterval; readonly shown: string }
  | { readonly type: 'domain'; readonly name: string; readonly shown: string }
  | { readonly type: 'digest'; readonly digest: string; readonly shown: string };

/**
 * The host of a URL as the hub stores it (the WHATWG serialisation, so the authority runs from
 * '://' to the first '/', '?' or '#', and an '@' inside user info is percent-encoded). Read by
 * hand: a feed of a million URLs cannot afford a URL parser per value.
 */
export function urlHost(url: string): string | undefined {
  const start = url.indexOf('://');
  if (start < 0) return undefined;
  let end = url.length;
  for (const stop of ['/', '?', '#']) {
    const at = url.indexOf(stop, start + 3);
    if (at >= 0 && at < end) end = at;
  }
  let authority = url.slice(start + 3, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close < 0 ? undefined : authority.slice(1, close);
  }
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  return host === '' ? undefined : host;
}

function hostSubject(host: string, shown: string): CheckedSubject {
  const interval = /^[0-9.]+$/.test(host) || host.includes(':') ? addressInterval(host) : undefined;
  return interval !== undefined ? { type: 'address', interval, shown } : { type: 'domain', name: host, shown };
}

/** The subject of `value` for `kind`; undefined for kinds no list applies to, or a value that is not what its kind stores. */
export function checkedSubject(kind: IndicatorKind, value: string, digestOf: (value: string) => string): CheckedSubject | undefined {
  switch (kind) {
    case 'c2-ip':
    case 'email-sender-ip': {
      const interval = addressInterval(value.trim());
      return interval === undefined ? undefined : { type: 'address', interval, shown: value.trim() };
    }
    case 'c2-hostname':
      return { type: 'domain', name: value.trim(), shown: value.trim() };
    case 'url': {
      const host = urlHost(value.trim());
      return host === undefined ? undefined : hostSubject(host, `${host} (the URL's host)`);
    }
    case 'email-from': {
      const at = value.lastIndexOf('@');
      const domain = value.slice(at + 1).trim();
      return at < 0 || domain === '' ? undefined : { type: 'domain', name: domain, shown: `${domain} (the address's domain)` };
    }
    case 'file-hash':
      return { type: 'digest', digest: digestOf(value), shown: digestOf(value) };
    case 'email-subject':
    case 'email-attachment-name':
      return undefined;
  }
}
