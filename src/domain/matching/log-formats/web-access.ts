import type { LogFormat, Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { hostOfAuthority, isDigit, looksLikeIp, observeAddress, tokenEnd } from './text-scan';

/**
 * nginx and Apache access logs in the common and combined formats (`192.0.2.1 - user [06/Dec/2026:10:00:01
 * +0900] "GET /path HTTP/1.1" 200 123 "referer" "agent"`), and with the virtual host in front: Apache's
 * vhost_combined (`www.example.com:443 192.0.2.1 - - [...]`) or nginx's `$host $remote_addr - ...`.
 * A request target is a path; it becomes a URL only with the virtual host to put it under (a shared
 * URL is never matched by its path alone). Absolute targets (a proxy's) are URLs as they are.
 */

interface WebAccessReader extends FormatReader {
  detected: LogFormat;
}

/** Whether ` [06/Dec/2026:10:00:01 +0900]` starts at `at` (the space). */
function isTimeLocal(line: string, at: number): boolean {
  return line.charCodeAt(at + 1) === 91 && line.charCodeAt(at + 4) === 47 && line.charCodeAt(at + 8) === 47 && line.charCodeAt(at + 13) === 58;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** `[06/Dec/2026:10:00:01 +0900]` starting at `at` (the `[`). */
export function timeLocal(line: string, at: number): number | undefined {
  const text = line.substring(at + 1, at + 27);
  const month = MONTHS.indexOf(text.substring(3, 6));
  const zone = text.substring(21, 26);
  if (month < 0 || month % 3 !== 0 || text.charCodeAt(20) !== 32) return undefined;
  const fields = [text.substring(0, 2), text.substring(7, 11), text.substring(12, 14), text.substring(15, 17), text.substring(18, 20), zone.substring(1, 3), zone.substring(3, 5)].map(Number);
  if (fields.some(Number.isNaN) || (zone[0] !== '+' && zone[0] !== '-')) return undefined;
  const [day, year, hours, minutes, seconds, zoneHours, zoneMinutes] = fields as [number, number, number, number, number, number, number];
  const offset = (zoneHours * 60 + zoneMinutes) * 60_000 * (zone[0] === '-' ? -1 : 1);
  return Date.UTC(year, month / 3, day, hours, minutes, seconds) - offset;
}

/** `host:port` of a virtual host as the front of a URL (`https://host` for 443, the port kept unless default). */
function origin(vhost: string): string {
  const colon = vhost.lastIndexOf(':');
  const port = colon > 0 && vhost.indexOf(']', colon) < 0 ? vhost.substring(colon + 1) : '';
  if (port === '443') return `https://${vhost.substring(0, colon)}`;
  if (port === '80') return `http://${vhost.substring(0, colon)}`;
  return `http://${vhost}`;
}

function readRequest(line: string, start: number, end: number, vhost: string | undefined, observe: Observe): void {
  const methodEnd = line.indexOf(' ', start);
  if (methodEnd < 0 || methodEnd >= end) return;
  const target = methodEnd + 1;
  let targetEnd = line.lastIndexOf(' ', end - 1);
  if (targetEnd < target) targetEnd = end;
  const first = line.charCodeAt(target);
  if (first === 47 /* / */) {
    if (vhost !== undefined) observe('url', 'url', origin(vhost) + line.substring(target, targetEnd));
  } else if (methodEnd - start === 7 && line.startsWith('CONNECT', start)) {
    const host = hostOfAuthority(line.substring(target, targetEnd));
    observe(looksLikeIp(host) ? 'ip' : 'host', 'url', host);
  } else {
    const scheme = line.indexOf('://', target);
    if (scheme > target && scheme < targetEnd) observe('url', 'url', line.substring(target, targetEnd));
  }
}

export function createWebAccessReader(): FormatReader {
  const reader: WebAccessReader = {
    detected: 'nginx',
    read(line, observe) {
      const time = line.indexOf(' [');
      if (time < 0 || time > 512 || !isTimeLocal(line, time)) return false;
      // The tokens before the time: client, ident, user; or virtual host, client, ident, user.
      const second = tokenEnd(line, 0) + 1;
      const third = tokenEnd(line, second) + 1;
      const fourth = tokenEnd(line, third) + 1;
      const withHost = fourth < time;
      const client = withHost ? second : 0;
      const vhost = withHost ? line.substring(0, second - 1) : undefined;
      reader.detected = vhost !== undefined && isDigit(vhost.charCodeAt(vhost.length - 1)) && vhost.includes(':') ? 'apache' : 'nginx';
      observeAddress(observe, line, client, tokenEnd(line, client), 'client-ip', 'client-host');
      const requestStart = line.indexOf('"', time + 28) + 1;
      if (requestStart <= 0) return true;
      const requestEnd = line.indexOf('" ', requestStart);
      if (requestEnd < 0) return true;
      readRequest(line, requestStart, requestEnd, vhost, observe);
      const refererStart = line.indexOf('"', requestEnd + 2) + 1;
      if (refererStart <= 0) return true;
      const refererEnd = line.indexOf('"', refererStart);
      const scheme = line.indexOf('://', refererStart);
      if (refererEnd > 0 && scheme > refererStart && scheme < refererEnd) observe('url', 'referer', line.substring(refererStart, refererEnd));
      return true;
    },
    time(line) {
      const time = line.indexOf(' [');
      return time >= 0 && isTimeLocal(line, time) ? timeLocal(line, time + 1) : undefined;
    },
  };
  return reader;
}
