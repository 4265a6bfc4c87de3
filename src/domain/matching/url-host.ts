import { readIpv4 } from './ip-reader';

/**
 * Finds the host of a logged URL without parsing it: a proxy logs a URL per request, and only the
 * few whose host has a URL indicator need the hub's full canonical form (a WHATWG parse). `plain`
 * says the host as written is the one a WHATWG URL parser would give, apart from ASCII case: a
 * special scheme, '//', and a host of letters, digits, '-', '_' and '.' that is not a number a URL
 * parser reads as an IPv4 address in another form (0x7f.1, 2130706433, 010.0.0.1), or a strict dotted quad.
 */

export interface UrlHost {
  /** Where the host is in the text (IPv6 with its brackets; no userinfo, no port); start === end when none. */
  start: number;
  end: number;
  /** False for host[:port][/path] without a scheme (a proxy's CONNECT target): no URL indicator can equal it. */
  scheme: boolean;
  plain: boolean;
}

const QUAD = new Uint32Array(1);

function isHostCharacter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;
}

function isSchemeCharacter(c: number, first: boolean): boolean {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return first ? letter : letter || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** http, https, ftp, ftps, ws or wss in any case (compared in place: this runs for every logged URL). */
function isSpecialScheme(text: string, start: number, end: number): boolean {
  const c0 = text.charCodeAt(start) | 0x20;
  const c1 = text.charCodeAt(start + 1) | 0x20;
  const c2 = text.charCodeAt(start + 2) | 0x20;
  const c3 = text.charCodeAt(start + 3) | 0x20;
  switch (end - start) {
    case 2:
      return c0 === 119 && c1 === 115; // ws
    case 3:
      return (c0 === 102 && c1 === 116 && c2 === 112) || (c0 === 119 && c1 === 115 && c2 === 115); // ftp, wss
    case 4:
      return (c0 === 104 && c1 === 116 && c2 === 116 && c3 === 112) || (c0 === 102 && c1 === 116 && c2 === 112 && c3 === 115); // http, ftps
    case 5:
      return c0 === 104 && c1 === 116 && c2 === 116 && c3 === 112 && (text.charCodeAt(start + 4) | 0x20) === 115; // https
    default:
      return false;
  }
}

/** Whether the last label of a host (one trailing dot aside) is a number a URL parser would read: digits, or 0x and hex. */
function endsInNumber(text: string, start: number, end: number): boolean {
  if (end > start && text.charCodeAt(end - 1) === 46) end--;
  let label = end;
  while (label > start && text.charCodeAt(label - 1) !== 46) label--;
  if (label === end) return false;
  const hex = end - label >= 2 && text.charCodeAt(label) === 48 && (text.charCodeAt(label + 1) | 0x20) === 120;
  for (let i = hex ? label + 2 : label; i < end; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (!digit && !(hex && ((c | 0x20) >= 97 && (c | 0x20) <= 102))) return false;
  }
  return true;
}

/** Reads the host of the URL in text[start, end) into `out`. A value without '//' after a scheme is read as host[:port][/path]. */
export function readUrlHost(text: string, start: number, end: number, out: UrlHost): void {
  let authority = start;
  let special = false;
  let scheme = false;
  let i = start;
  while (i < end && isSchemeCharacter(text.charCodeAt(i), i === start)) i++;
  if (i > start && i < end && text.charCodeAt(i) === 58) {
    if (i + 2 < end && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) {
      special = isSpecialScheme(text, start, i);
      scheme = true;
      authority = i + 3;
    } else {
      let port = i + 1;
      while (port < end && text.charCodeAt(port) >= 48 && text.charCodeAt(port) <= 57) port++;
      // 'evil.example:443' is a host and port (as the hub reads it); 'http:evil.example' a URL a parser reads with an effort.
      const next = port < end ? text.charCodeAt(port) : 47;
      scheme = port === i + 1 || (next !== 47 && next !== 63 && next !== 35);
    }
  }
  out.scheme = scheme;
  if (scheme && authority === start) {
    // A scheme without '//' (mailto:, http:evil.example): only a URL parser can tell a host, if any.
    out.start = out.end = start;
    out.plain = false;
    return;
  }
  // One pass over the authority: where it ends, the last '@', and the last character no plain host has.
  let authorityEnd = authority;
  let at = -1;
  let odd = -1;
  let backslash = false;
  for (; authorityEnd < end; authorityEnd++) {
    const c = text.charCodeAt(authorityEnd);
    if (isHostCharacter(c)) continue;
    if (c === 47 || c === 63 || c === 35) break;
    if (c === 92) {
      backslash = true;
      break;
    }
    if (c === 64) at = authorityEnd;
    else if (c !== 58) odd = authorityEnd;
  }
  const hostStart = at < 0 ? authority : at + 1;
  if (hostStart < authorityEnd && text.charCodeAt(hostStart) === 91) {
    const close = text.indexOf(']', hostStart);
    out.start = hostStart;
    out.end = close < 0 || close >= authorityEnd ? authorityEnd : close + 1;
    out.plain = false;
    return;
  }
  let hostEnd = text.indexOf(':', hostStart);
  if (hostEnd < 0 || hostEnd > authorityEnd) hostEnd = authorityEnd;
  out.start = hostStart;
  out.end = hostEnd;
  let plain = special && !backslash && hostEnd > hostStart && odd < hostStart;
  if (plain && endsInNumber(text, hostStart, hostEnd)) plain = readIpv4(text, hostStart, hostEnd, true, QUAD, 0);
  out.plain = plain;
}
