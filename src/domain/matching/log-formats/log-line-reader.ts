import type { LogFormat, LogLineReader, Observe } from '../match-types';
import { createValuesReader } from './bare-values';
import { createEcsReader } from './ecs-json';
import { createEximReader } from './exim-main-log';
import { createExchangeReader } from './exchange-tracking';
import type { FormatReader } from './format-reader';
import { createNetfilterReader } from './netfilter-log';
import { createPostfixReader } from './postfix-log';
import { createSquidReader } from './squid-access';
import { isDigit } from './text-scan';
import { createWebAccessReader } from './web-access';
import { createZeekReader } from './zeek-log';

/**
 * createLogLineReader: one reader per input. With a format, every line is read as that format; with
 * 'auto' each line is first offered to the format the previous line had (logs come in runs of one
 * format) and otherwise to the formats its first characters allow, in the order they are likeliest.
 */

const FACTORIES: Readonly<Record<LogFormat, () => FormatReader>> = {
  postfix: createPostfixReader,
  exim: createEximReader,
  exchange: createExchangeReader,
  squid: createSquidReader,
  nginx: createWebAccessReader,
  apache: createWebAccessReader,
  zeek: createZeekReader,
  iptables: createNetfilterReader,
  nftables: createNetfilterReader,
  ecs: createEcsReader,
  values: createValuesReader,
};

/**
 * The readers 'auto' asks: nginx's reads Apache's lines too (it says which), and nftables logs as
 * iptables does (the same kernel lines), so such lines are reported as 'iptables'.
 */
type AutoFormat = Exclude<LogFormat, 'apache' | 'nftables'>;

const SYSLOG_FAMILY: readonly AutoFormat[] = ['postfix', 'exim', 'iptables'];
/** A classic syslog month, a virtual host, a host name value. */
const WORD_START: readonly AutoFormat[] = [...SYSLOG_FAMILY, 'nginx', 'values'];
/** `2026-12-06T10:00:01...`: an Exchange row or an RFC 3339 syslog prefix. */
const ISO_START: readonly AutoFormat[] = ['exchange', ...SYSLOG_FAMILY, 'values'];
/** Unix seconds (Squid, Zeek TSV) or an address (access logs, bare values). */
const DIGIT_START: readonly AutoFormat[] = ['squid', 'zeek', 'nginx', 'iptables', 'values'];
const JSON_START: readonly AutoFormat[] = ['zeek', 'ecs'];
const HASH_START: readonly AutoFormat[] = ['zeek', 'exchange'];
const BRACKET_START: readonly AutoFormat[] = ['iptables', 'nginx', 'values'];
const QUOTE_START: readonly AutoFormat[] = ['exchange'];

/** The formats a line can be, judged by its first characters (cheap; the readers decide). */
function candidatesOf(line: string): readonly AutoFormat[] {
  const first = line.charCodeAt(0);
  if (isDigit(first)) {
    if (line.charCodeAt(4) === 45 && line.charCodeAt(7) === 45) return line.charCodeAt(10) === 32 ? ['exim'] : ISO_START;
    return DIGIT_START;
  }
  switch (first) {
    case 123: return JSON_START; // {
    case 35: return HASH_START; // #
    case 60: return SYSLOG_FAMILY; // <
    case 91: return BRACKET_START; // [
    case 34: return QUOTE_START; // "
    default: return WORD_START;
  }
}

/**
 * The line without a byte order mark in front (Exchange writes one at the start of each file) or the
 * carriage return of a CRLF file behind, should the caller have split on LF alone.
 */
function bare(line: string): string {
  let start = 0;
  let end = line.length;
  if (line.charCodeAt(0) === 0xfeff) start = 1;
  if (line.charCodeAt(end - 1) === 13) end -= 1;
  return start === 0 && end === line.length ? line : line.substring(start, end);
}

function singleFormat(format: LogFormat): LogLineReader {
  const reader = FACTORIES[format]();
  return {
    read: (line, observe) => (reader.read(bare(line), observe) ? format : undefined),
    time: (line, nowMs) => reader.time(bare(line), nowMs),
  };
}

function autoDetecting(): LogLineReader {
  const readers = new Map<AutoFormat, FormatReader>();
  const readerOf = (format: AutoFormat): FormatReader => {
    let reader = readers.get(format);
    if (reader === undefined) {
      reader = FACTORIES[format]();
      readers.set(format, reader);
    }
    return reader;
  };
  let last: FormatReader | undefined;
  let lastFormat: AutoFormat | undefined;
  return {
    read(given: string, observe: Observe) {
      const line = bare(given);
      if (last !== undefined && last.read(line, observe)) return last.detected ?? lastFormat;
      for (const format of candidatesOf(line)) {
        if (format === lastFormat) continue;
        const reader = readerOf(format);
        if (reader.read(line, observe)) {
          last = reader;
          lastFormat = format;
          return reader.detected ?? format;
        }
      }
      return undefined;
    },
    time(line, nowMs) {
      return last?.time(bare(line), nowMs);
    },
  };
}

/** A reader for one input (a file, standard input, a request's lines): its state lives as long as the input. */
export function createLogLineReader(format: LogFormat | 'auto'): LogLineReader {
  return format === 'auto' ? autoDetecting() : singleFormat(format);
}
