/**
 * Reads an IP address out of part of a log value without allocating: a log line is read for every
 * value it holds, and almost none match. IPv4 in dotted-quad form; IPv6 in every RFC 4291 text form
 * (any case, leading zeros, '::', a dotted IPv4 tail), in brackets (a port after them ignored), with a
 * zone id ('%eth0') ignored. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) reads as the IPv4 address:
 * the same host, written by a dual-stack server.
 */

/** The address read last: IPv4 in word 3 (words 0-2 zero), IPv6 as four big-endian 32-bit words. */
export type IpWords = Uint32Array;

const GROUPS = new Int32Array(8);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * A dotted quad in text[start, end) into out[at] (written there, not returned: a number above 2^30
 * returned from a function is a heap allocation); false when it is not one. With `strict`, an octet
 * with a leading zero is refused (a URL parser reads it as octal); otherwise it reads as decimal, as
 * the logs that pad octets mean it.
 */
export function readIpv4(text: string, start: number, end: number, strict: boolean, out: Uint32Array, at: number): boolean {
  let address = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    const first = i;
    let octet = 0;
    while (i < end && i - first < 3 && isDigit(text.charCodeAt(i))) octet = octet * 10 + text.charCodeAt(i++) - 48;
    if (i === first || octet > 255 || (strict && i - first > 1 && text.charCodeAt(first) === 48)) return false;
    address = address * 256 + octet;
    octets++;
    if (octets < 4) {
      if (i >= end || text.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  if (i !== end) return false;
  out[at] = address;
  return true;
}

const TAIL = new Uint32Array(1);

/** IPv6 in text[start, end) into GROUPS; false when it is not one. */
function readIpv6Groups(text: string, start: number, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
  }
  while (i < end) {
    const first = i;
    let group = 0;
    for (; i < end && i - first < 5; i++) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit < 0) break;
      group = group * 16 + digit;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // A dotted IPv4 tail: two groups, and the end of the address.
      if (count > 6) return false;
      if (!readIpv4(text, first, end, true, TAIL, 0)) return false; // strict, as the hub reads a dotted tail
      GROUPS[count++] = (TAIL[0] as number) >>> 16;
      GROUPS[count++] = (TAIL[0] as number) & 0xffff;
      break;
    }
    if (i === first || i - first > 4 || count === 8) return false;
    GROUPS[count++] = group;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false; // a single trailing ':'
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  const zeros = 8 - count;
  for (let k = count - 1; k >= gap; k--) GROUPS[k + zeros] = GROUPS[k] as number;
  for (let k = gap; k < gap + zeros; k++) GROUPS[k] = 0;
  return true;
}

/** Whether words 0-2 are ::ffff:0:0/96, the IPv4-mapped block. */
export function isIpv4Mapped(words: IpWords): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/**
 * Reads text[start, end) as an IP address into `out`: 4 or 6 for the version, 0 when it is not
 * one (out is then undefined). Leading and trailing spaces are not skipped: the caller trims.
 */
export function readIp(text: string, start: number, end: number, out: IpWords): 0 | 4 | 6 {
  if (start < end && text.charCodeAt(start) === 91) {
    const close = text.indexOf(']', start);
    if (close < 0 || close >= end) return 0;
    if (close + 1 < end) {
      if (text.charCodeAt(close + 1) !== 58) return 0;
      for (let i = close + 2; i < end; i++) if (!isDigit(text.charCodeAt(i))) return 0;
    }
    start++;
    end = close;
  }
  // Most logged addresses are IPv4: read as one first, which is one pass when it is.
  if (readIpv4(text, start, end, false, out, 3)) {
    out[0] = out[1] = out[2] = 0;
    return 4;
  }
  let colon = false;
  for (let i = start; i < end; i++) {
    if (i - start > 45) return 0; // longer than any address
    const c = text.charCodeAt(i);
    if (c === 58) colon = true;
    else if (c === 37 && colon) {
      end = i; // a zone id
      break;
    }
  }
  if (!colon) return 0;
  if (!readIpv6Groups(text, start, end)) return 0;
  for (let w = 0; w < 4; w++) out[w] = (((GROUPS[2 * w] as number) << 16) | (GROUPS[2 * w + 1] as number)) >>> 0;
  if (isIpv4Mapped(out)) {
    out[2] = 0;
    return 4;
  }
  return 6;
}
