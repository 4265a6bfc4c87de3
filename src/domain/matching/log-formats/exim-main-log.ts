import type { Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { decodeEncodedWords } from './encoded-words';
import { readSyslogPrefix, syslogParts, syslogTime } from './syslog-prefix';
import { angled, bracketed, isDigit, observeAddress, SPACE, tokenEnd } from './text-scan';

/**
 * Exim's main log (`2026-12-06 10:00:01 1tJxyz-000ABC-12 <= sender H=name (helo) [ip]:port P=esmtp S=1234
 * id=... T="subject" for rcpt`), its own timestamp in front (maybe with milliseconds, a zone and `[pid]`)
 * or a syslog prefix with an `exim` tag. Arrivals (`<=`) name the sender, the client and, with
 * `log_selector = +subject`, the subject; deliveries (`=>`, `->`, `**`, `==`) the host delivered to and,
 * with `+sender_on_delivery`, the envelope sender as `F=<addr>`; connection-level lines (rejections)
 * `H=` and `F=<addr>` too, and `SMTP connection from [ip]` lines the client.
 */

/** Whether `2026-12-06 10:00:01` starts at `at`. */
export function isEximTime(line: string, at: number): boolean {
  return isDigit(line.charCodeAt(at)) && line.charCodeAt(at + 4) === 45 && line.charCodeAt(at + 7) === 45
    && line.charCodeAt(at + 10) === SPACE && line.charCodeAt(at + 13) === 58 && line.charCodeAt(at + 16) === 58;
}

/** After the timestamp, its optional `.123` milliseconds, `+0100` zone and `[pid]`. */
function afterTimestamp(line: string, at: number): number {
  let p = at + 19;
  if (line.charCodeAt(p) === 46) p += 4;
  p += 1;
  const sign = line.charCodeAt(p);
  if ((sign === 43 || sign === 45) && isDigit(line.charCodeAt(p + 1))) p = tokenEnd(line, p) + 1;
  return p;
}

function afterPid(line: string, at: number): number {
  return line.charCodeAt(at) === 91 && isDigit(line.charCodeAt(at + 1)) ? tokenEnd(line, at) + 1 : at;
}

/** `1tJxyz-000ABC-12` (and the longer ids of Exim 4.97) at `at`. */
function isMessageId(line: string, at: number): boolean {
  return line.charCodeAt(at + 6) === 45 && (line.charCodeAt(at + 13) === 45 || line.charCodeAt(at + 18) === 45);
}

/** The address of `H=name (helo) [ip]:port`, `H=(helo) [ip]` or `H=[ip]`, and the name when `withName`. */
function readHost(line: string, at: number, ipField: string, hostField: string | undefined, observe: Observe): void {
  const valueStart = at + 3;
  const ipOpen = line.charCodeAt(valueStart) === 91 ? valueStart : line.indexOf(' [', valueStart) + 1;
  if (ipOpen <= 0) return;
  if (hostField !== undefined && ipOpen > valueStart && line.charCodeAt(valueStart) !== 40 /* ( */) {
    observeAddress(observe, line, valueStart, tokenEnd(line, valueStart), hostField, hostField);
  }
  const ip = bracketed(line, ipOpen, tokenEnd(line, ipOpen));
  if (ip !== undefined) observe('ip', ipField, ip);
}

/** `T="..."` with `\"` and `\\` escaped inside. */
function readSubject(line: string, at: number, observe: Observe): void {
  let value = '';
  let from = at + 4;
  for (let i = from; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === 92 /* \ */) {
      value += line.substring(from, i);
      i += 1;
      from = i;
    } else if (code === 34) {
      value += line.substring(from, i);
      observe('subject', 'subject', decodeEncodedWords(value));
      return;
    }
  }
}

function readEnvelopeFrom(line: string, at: number, observe: Observe): void {
  const sender = line.indexOf(' F=<', at);
  if (sender < 0) return;
  const address = angled(line, sender + 3);
  if (address !== undefined) observe('email', 'envelope-from', address);
}

function readEximMessage(line: string, at: number, observe: Observe): void {
  if (!isMessageId(line, at)) {
    if (line.startsWith('SMTP connection from ', at)) {
      const ip = bracketed(line, at + 21, tokenEnd(line, line.indexOf(' [', at + 20) + 1));
      if (ip !== undefined) observe('ip', 'client-ip', ip);
      return;
    }
    const host = line.startsWith('H=', at) ? at - 1 : line.indexOf(' H=', at);
    if (host >= 0) readHost(line, host, 'client-ip', undefined, observe);
    readEnvelopeFrom(line, at, observe);
    return;
  }
  const flag = tokenEnd(line, at) + 1;
  const first = line.charCodeAt(flag);
  const second = line.charCodeAt(flag + 1);
  if (line.charCodeAt(flag + 2) !== SPACE) return;
  if (first === 60 && second === 61 /* <= */) {
    const sender = flag + 3;
    const senderEnd = tokenEnd(line, sender);
    if (senderEnd - sender > 2 && line.charCodeAt(sender) !== 60) observe('email', 'envelope-from', line.substring(sender, senderEnd));
    const host = line.indexOf(' H=', senderEnd);
    if (host >= 0) readHost(line, host, 'client-ip', undefined, observe);
    const subject = line.indexOf(' T="', senderEnd);
    if (subject >= 0) readSubject(line, subject, observe);
  } else if ((second === 62 && (first === 61 || first === 45 || first === 42)) || (first === second && (first === 42 || first === 61))) {
    const host = line.indexOf(' H=', flag);
    if (host >= 0) readHost(line, host, 'destination-ip', 'destination-host', observe);
    readEnvelopeFrom(line, flag, observe);
  }
}

export function createEximReader(): FormatReader {
  const parts = syslogParts();
  return {
    read(line, observe) {
      if (isEximTime(line, 0)) {
        readEximMessage(line, afterPid(line, afterTimestamp(line, 0)), observe);
        return true;
      }
      if (!readSyslogPrefix(line, parts) || !line.startsWith('exim', parts.tagStart)) return false;
      let at = parts.bodyStart;
      if (isEximTime(line, at)) at = afterTimestamp(line, at);
      readEximMessage(line, afterPid(line, at), observe);
      return true;
    },
    time(line, nowMs) {
      if (!isEximTime(line, 0)) return readSyslogPrefix(line, parts) ? syslogTime(line, parts, nowMs) : undefined;
      const n = (start: number, length: number) => Number(line.substring(start, start + length));
      const milliseconds = line.charCodeAt(19) === 46 ? n(20, 3) : 0;
      const zoneAt = afterTimestamp(line, 0) - 6;
      const local = new Date(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), milliseconds).getTime();
      const sign = line.charCodeAt(zoneAt);
      if ((sign !== 43 && sign !== 45) || line.charCodeAt(zoneAt + 5) !== SPACE) return Number.isNaN(local) ? undefined : local;
      const utc = Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), milliseconds);
      const offset = (n(zoneAt + 1, 2) * 60 + n(zoneAt + 3, 2)) * 60_000 * (sign === 45 ? -1 : 1);
      const ms = utc - offset;
      return Number.isNaN(ms) ? undefined : ms;
    },
  };
}
