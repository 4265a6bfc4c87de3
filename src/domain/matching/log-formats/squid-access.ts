import type { FormatReader } from './format-reader';
import { hostOfAuthority, isDigit, looksLikeIp, observeAddress, skipSpaces, tokenEnd } from './text-scan';

/**
 * Squid's native access.log: `time elapsed client code/status bytes method URL user hierarchy/peer type`,
 * fields separated by one or more spaces (`1733479201.123    234 192.0.2.10 TCP_MISS/200 1234 GET
 * http://example.com/ - HIER_DIRECT/203.0.113.5 text/html`). A CONNECT's URL is `host:port`.
 */

/** `1733479201.123` then a space: Unix seconds with milliseconds, as squid writes them. */
function timeEnd(line: string): number {
  let i = 0;
  while (isDigit(line.charCodeAt(i))) i += 1;
  if (i < 9 || i > 11 || line.charCodeAt(i) !== 46) return -1;
  i += 1;
  const fraction = i;
  while (isDigit(line.charCodeAt(i))) i += 1;
  return i > fraction && line.charCodeAt(i) === 32 ? i : -1;
}

export function createSquidReader(): FormatReader {
  return {
    read(line, observe) {
      const afterTime = timeEnd(line);
      if (afterTime < 0) return false;
      const elapsed = skipSpaces(line, afterTime);
      const client = skipSpaces(line, tokenEnd(line, elapsed));
      const clientEnd = tokenEnd(line, client);
      const code = clientEnd + 1;
      const codeEnd = tokenEnd(line, code);
      const slash = line.indexOf('/', code);
      if (slash < 0 || slash > codeEnd) return false;
      const method = skipSpaces(line, tokenEnd(line, codeEnd + 1));
      const methodEnd = tokenEnd(line, method);
      const url = methodEnd + 1;
      const urlEnd = tokenEnd(line, url);
      if (url >= line.length) return false;
      observeAddress(observe, line, client, clientEnd, 'client-ip', 'client-host');
      if (methodEnd - method === 7 && line.startsWith('CONNECT', method)) {
        const host = hostOfAuthority(line.substring(url, urlEnd));
        observe(looksLikeIp(host) ? 'ip' : 'host', 'url', host);
      } else {
        const scheme = line.indexOf('://', url);
        if (scheme > url && scheme < urlEnd) observe('url', 'url', line.substring(url, urlEnd));
      }
      const hierarchy = tokenEnd(line, urlEnd + 1) + 1;
      const hierarchyEnd = tokenEnd(line, hierarchy);
      const peer = line.indexOf('/', hierarchy) + 1;
      if (peer > 0 && peer < hierarchyEnd) observeAddress(observe, line, peer, hierarchyEnd, 'destination-ip', 'destination-host');
      return true;
    },
    time(line) {
      const end = timeEnd(line);
      return end < 0 ? undefined : Math.round(Number(line.substring(0, end)) * 1000);
    },
  };
}
