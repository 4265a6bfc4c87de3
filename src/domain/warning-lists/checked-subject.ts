import type { IndicatorKind } from '../indicators';
import { urlParts } from '../indicators/url-parts';
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

/** The host of a URL as the hub stores it, an IPv6 address without its brackets. */
export function urlHost(url: string): string | undefined {
  const hostname = urlParts(url)?.hostname;
  if (hostname === undefined || hostname === '') return undefined;
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
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
