import { isDigit, SPACE, tokenEnd } from './text-scan';

/**
 * The syslog prefix in front of Postfix, Exim and kernel lines, in the forms logs are kept in:
 * classic BSD (`Dec  6 10:00:01 host postfix/smtpd[123]: `, maybe with `<pri>` in front), RFC 3339
 * as rsyslog and journalctl write it (`2026-12-06T10:00:01.123456+01:00 host postfix/smtpd[123]: `) and
 * RFC 5424 (`<22>1 2026-12-06T10:00:01Z host postfix/smtpd 123 - - `).
 */

/** Where a line's parts are; one per reader, overwritten by every line (no allocation per line). */
export interface SyslogParts {
  /** Where the time starts; `classic` says whether it is the BSD form without a year. */
  timeStart: number;
  classic: boolean;
  /** The program name (`postfix/smtpd`), without `[pid]`. */
  tagStart: number;
  tagEnd: number;
  /** Where the message starts. */
  bodyStart: number;
}

export function syslogParts(): SyslogParts {
  return { timeStart: 0, classic: false, tagStart: 0, tagEnd: 0, bodyStart: 0 };
}

const MAX_TAG_LENGTH = 96;

function isClassicTime(line: string, at: number): boolean {
  return line.charCodeAt(at + 3) === SPACE && line.charCodeAt(at + 6) === SPACE && line.charCodeAt(at + 9) === 58
    && line.charCodeAt(at + 12) === 58 && line.charCodeAt(at + 15) === SPACE;
}

function isIsoTime(line: string, at: number): boolean {
  return isDigit(line.charCodeAt(at)) && line.charCodeAt(at + 4) === 45 && line.charCodeAt(at + 10) === 84;
}

/** Skips RFC 5424 structured data: `-` or one or more `[id k="v" ...]` (a `]` inside a value is escaped). */
function afterStructuredData(line: string, at: number): number {
  if (line.charCodeAt(at) === 45) return at + 1;
  let i = at;
  while (line.charCodeAt(i) === 91) {
    let inValue = false;
    i += 1;
    for (; i < line.length; i += 1) {
      const code = line.charCodeAt(i);
      if (code === 92 /* \ */) i += 1;
      else if (code === 34) inValue = !inValue;
      else if (code === 93 && !inValue) break;
    }
    if (i >= line.length) return -1;
    i += 1;
  }
  return i;
}

function readRfc5424(line: string, at: number, parts: SyslogParts): boolean {
  parts.timeStart = at;
  parts.classic = false;
  const hostStart = tokenEnd(line, at) + 1;
  const appStart = tokenEnd(line, hostStart) + 1;
  const appEnd = tokenEnd(line, appStart);
  const msgIdStart = tokenEnd(line, appEnd + 1) + 1;
  const dataStart = tokenEnd(line, msgIdStart) + 1;
  if (dataStart <= 0 || dataStart >= line.length) return false;
  const dataEnd = afterStructuredData(line, dataStart);
  if (dataEnd < 0) return false;
  parts.tagStart = appStart;
  parts.tagEnd = appEnd;
  let body = dataEnd + 1;
  if (line.charCodeAt(body) === 0xfeff) body += 1;
  parts.bodyStart = Math.min(body, line.length);
  return true;
}

/** Reads the prefix into `parts`; false when the line does not start with one. */
export function readSyslogPrefix(line: string, parts: SyslogParts): boolean {
  let at = 0;
  if (line.charCodeAt(0) === 60 /* < */) {
    const close = line.indexOf('>', 1);
    if (close < 2 || close > 4) return false;
    at = close + 1;
    if (line.charCodeAt(at) === 49 && line.charCodeAt(at + 1) === SPACE) return readRfc5424(line, at + 2, parts);
  }
  let hostStart: number;
  if (isClassicTime(line, at)) {
    parts.classic = true;
    hostStart = at + 16;
  } else if (isIsoTime(line, at)) {
    parts.classic = false;
    hostStart = tokenEnd(line, at) + 1;
  } else {
    return false;
  }
  parts.timeStart = at;
  const tagStart = line.indexOf(' ', hostStart) + 1;
  if (tagStart <= 0) return false;
  const colon = line.indexOf(': ', tagStart);
  if (colon < 0 || colon - tagStart > MAX_TAG_LENGTH) return false;
  const bracket = line.indexOf('[', tagStart);
  parts.tagStart = tagStart;
  parts.tagEnd = bracket >= 0 && bracket < colon ? bracket : colon;
  parts.bodyStart = colon + 2;
  return true;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
/** A classic time read a little after `now` is taken as this year: clocks of logging hosts drift. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

function number(line: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const code = line.charCodeAt(i);
    if (code === SPACE) continue;
    if (!isDigit(code)) return NaN;
    value = value * 10 + code - 48;
  }
  return value;
}

/**
 * A BSD syslog time (`Dec  6 10:00:01`, local time, no year) in the year that puts it at or before
 * `nowMs` (a day's drift allowed), so December lines read in January fall in the year before.
 */
export function classicSyslogTime(line: string, at: number, nowMs: number): number | undefined {
  const month = MONTHS.indexOf(line.substring(at, at + 3));
  if (month < 0 || month % 3 !== 0) return undefined;
  const day = number(line, at + 4, at + 6);
  const hours = number(line, at + 7, at + 9);
  const minutes = number(line, at + 10, at + 12);
  const seconds = number(line, at + 13, at + 15);
  if (Number.isNaN(day + hours + minutes + seconds)) return undefined;
  const year = new Date(nowMs).getFullYear();
  const inYear = (y: number): number => new Date(y, month / 3, day, hours, minutes, seconds).getTime();
  const guess = inYear(year);
  return guess > nowMs + FUTURE_TOLERANCE_MS ? inYear(year - 1) : guess;
}

/** An RFC 3339 / ISO 8601 time token starting at `at`; undefined when it does not parse. */
export function isoTime(line: string, at: number): number | undefined {
  const end = tokenEnd(line, at);
  const ms = Date.parse(line.substring(at, end));
  return Number.isNaN(ms) ? undefined : ms;
}

/** The time of a line whose prefix `parts` holds (read just before). */
export function syslogTime(line: string, parts: SyslogParts, nowMs: number): number | undefined {
  return parts.classic ? classicSyslogTime(line, parts.timeStart, nowMs) : isoTime(line, parts.timeStart);
}
