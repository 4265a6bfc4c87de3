import type { Observe } from '../match-types';

/**
 * Index-based reading of a log line's parts. The readers run on every line of a log (a million a
 * second is the target), so they find fields with indexOf and character codes and cut a substring
 * only for a value they hand on; no regular expressions on that path.
 */

export const SPACE = 32;
export const TAB = 9;

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** The index of the next space at or after `from`, or the line's length. */
export function tokenEnd(line: string, from: number): number {
  const space = line.indexOf(' ', from);
  return space < 0 ? line.length : space;
}

/** The index of the first character at or after `from` that is not a space. */
export function skipSpaces(line: string, from: number): number {
  let at = from;
  while (line.charCodeAt(at) === SPACE) at += 1;
  return at;
}

/** Whether the characters from `start` to `end` read as `word` in any case (`word` in lower case). */
export function sameWordIgnoringCase(line: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i += 1) {
    let code = line.charCodeAt(start + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Whether `start..end` looks like an IP address: digits and dots with at least one dot, or hex digits
 * with at least two colons (IPv6, maybe with a `%zone` or `.` for an embedded IPv4). Only decides
 * between the 'ip' and 'host' kinds; the index checks the address itself.
 */
export function looksLikeIp(text: string, start = 0, end = text.length): boolean {
  if (end - start < 2 || end - start > 64) return false;
  let dots = 0;
  let colons = 0;
  let hexLetters = false;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 46) dots += 1;
    else if (code === 58) colons += 1;
    else if (code === 37 && colons >= 2) return true;
    else if (!isDigit(code)) {
      if (!isHexDigit(code)) return false;
      hexLetters = true;
    }
  }
  if (colons >= 2) return true;
  return colons === 0 && !hexLetters && dots === 3;
}

/**
 * The address inside the first `[...]` at or after `from` (Postfix `name[ip]`, Exim `[ip]:port`),
 * without the `IPv6:` tag some software puts in front; undefined when there is none before `limit`.
 */
export function bracketed(line: string, from: number, limit = line.length): string | undefined {
  let open = line.indexOf('[', from);
  if (open < 0 || open >= limit) return undefined;
  const close = line.indexOf(']', open + 1);
  if (close < 0 || close > limit) return undefined;
  open += 1;
  if (close - open > 5 && sameWordIgnoringCase(line, open, open + 5, 'ipv6:')) open += 5;
  return close > open ? line.substring(open, close) : undefined;
}

/** The address between `<` and `>` starting at `open` (the index of `<`); undefined when empty (`<>`). */
export function angled(line: string, open: number): string | undefined {
  const close = line.indexOf('>', open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return line.substring(open + 1, close);
}

/** Reports `start..end` as an IP address or, when it is a name, as a host. */
export function observeAddress(observe: Observe, line: string, start: number, end: number, ipField: string, hostField: string): void {
  if (end <= start) return;
  if (looksLikeIp(line, start, end)) observe('ip', ipField, line.substring(start, end));
  else if (end - start > 1 || line.charCodeAt(start) !== 45 /* '-' */) observe('host', hostField, line.substring(start, end));
}

/**
 * The host of a `host:port` (a CONNECT target, a virtual host): the brackets of an IPv6 literal
 * removed, the port dropped.
 */
export function hostOfAuthority(text: string): string {
  if (text.charCodeAt(0) === 91 /* '[' */) {
    const close = text.indexOf(']');
    return close > 0 ? text.substring(1, close) : text;
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return text;
  return text.substring(0, colon);
}

/**
 * An address from a header value such as `"Alice Example" <alice@example.com>`: the text in the last
 * angle brackets, else the value itself trimmed.
 */
export function addressInHeader(value: string): string | undefined {
  const open = value.lastIndexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open + 1);
    if (close > open + 1) return value.substring(open + 1, close).trim();
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
