import type { Observe } from '../match-types';
import { decodeEncodedWords } from './encoded-words';
import { addressInHeader, hostOfAuthority, looksLikeIp } from './text-scan';

/** The Zeek fields the matcher reads, shared by the TSV and the JSON reader. */

export type ZeekValue = 'ip' | 'address' | 'addresses' | 'host' | 'url' | 'email' | 'header-address' | 'subject' | 'hash' | 'filename' | 'http-host' | 'http-uri';

/** Zeek field name → how its value reads and the field it is reported as. */
export const ZEEK_FIELDS: ReadonlyMap<string, readonly [ZeekValue, string]> = new Map([
  ['id.orig_h', ['ip', 'source-ip']],
  ['id.resp_h', ['ip', 'destination-ip']],
  ['query', ['host', 'dns-query']],
  ['answers', ['addresses', 'dns-answer']],
  ['host', ['http-host', 'host']],
  ['uri', ['http-uri', 'url']],
  ['referrer', ['url', 'referer']],
  ['mailfrom', ['email', 'envelope-from']],
  ['from', ['header-address', 'header-from']],
  ['reply_to', ['header-address', 'header-reply-to']],
  ['x_originating_ip', ['ip', 'original-client-ip']],
  ['subject', ['subject', 'subject']],
  ['md5', ['hash', 'file-hash']],
  ['sha1', ['hash', 'file-hash']],
  ['sha256', ['hash', 'file-hash']],
  ['filename', ['filename', 'file-name']],
  ['server_name', ['host', 'sni']],
]);

/** Reports one value of a Zeek field (`http-host` and `http-uri` are put together by the caller). */
export function observeZeekValue(how: ZeekValue, field: string, value: string, observe: Observe): void {
  switch (how) {
    case 'ip':
      observe('ip', field, value);
      return;
    case 'address':
      // A DNS answer may be a TXT or SOA record's text: only a name or an address is looked up.
      if (value.indexOf(' ') < 0) observe(looksLikeIp(value) ? 'ip' : 'host', field, value);
      return;
    case 'http-host': {
      const host = hostOfAuthority(value);
      observe(looksLikeIp(host) ? 'ip' : 'host', field, host);
      return;
    }
    case 'host':
      observe('host', field, value);
      return;
    case 'url':
      if (value.includes('://')) observe('url', field, value);
      return;
    case 'email':
      observe('email', field, value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value);
      return;
    case 'header-address': {
      const address = addressInHeader(decodeEncodedWords(value));
      if (address !== undefined) observe('email', field, address);
      return;
    }
    case 'subject':
      observe('subject', field, decodeEncodedWords(value));
      return;
    case 'hash':
      observe('hash', field, value);
      return;
    case 'filename':
      observe('filename', field, value);
      return;
    default:
  }
}

/** The URL of an HTTP request: `http://` + host + uri, or the uri when it is absolute (a proxy request). */
export function observeHttpUrl(host: string | undefined, uri: string, observe: Observe): void {
  if (uri.includes('://')) observe('url', 'url', uri);
  else if (host !== undefined && uri.startsWith('/')) observe('url', 'url', `http://${host}${uri}`);
}
