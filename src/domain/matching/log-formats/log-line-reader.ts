import type { LogFormat, LogLineReader, Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { createPostfixReader } from './postfix-log';
import { createSquidReader } from './squid-access';
import { isDigit } from './text-scan';

/**
 * createLogLineReader: one reader per input. With a format, every line is read as that format; with
 * 'auto' each line is first offered to the format the previous line had (logs come in runs of one
 * format) and otherwise to the formats its first characters allow.
 */

const FACTORIES: Partial<Record<LogFormat, () => FormatReader>> = {
  postfix: createPostfixReader,
  squid: createSquidReader,
};

/** Lines starting with a syslog prefix, a letter or a `<pri>`. */
const SYSLOG_FAMILY: readonly LogFormat[] = ['postfix', 'exim', 'iptables'];
const WORD_START: readonly LogFormat[] = [...SYSLOG_FAMILY, 'nginx', 'values'];
/** `2026-12-06T10:00:01...`: an Exchange row or an RFC 3339 syslog prefix. */
const ISO_START: readonly LogFormat[] = ['exchange', ...SYSLOG_FAMILY, 'ecs', 'values'];
/** Unix seconds (squid, Zeek TSV) or an address (access logs, bare values). */
const DIGIT_START: readonly LogFormat[] = ['squid', 'zeek', 'nginx', 'iptables', 'values'];

/** The formats a line can be, judged by its first characters (cheap; the readers decide). */
function candidatesOf(line: string): readonly LogFormat[] {
  const first = line.charCodeAt(0);
  if (first === 123 /* { */) return line.includes('"id.orig_h"') || line.includes('"uid"') ? ['zeek', 'ecs'] : ['ecs'];
  if (first === 35 /* # */) return ['zeek', 'exchange'];
  if (isDigit(first)) {
    if (line.charCodeAt(4) === 45 && line.charCodeAt(7) === 45) {
      return line.charCodeAt(10) === 32 ? ['exim'] : ISO_START;
    }
    return DIGIT_START;
  }
  if (first === 60 /* < */) return SYSLOG_FAMILY;
  if (first === 91 /* [ */) return ['iptables', 'nginx', 'values'];
  if (first === 34 /* " */) return ['exchange'];
  return WORD_START;
}

function readerFor(format: LogFormat): FormatReader | undefined {
  return FACTORIES[format]?.();
}

function singleFormat(format: LogFormat): LogLineReader {
  const reader = readerFor(format);
  if (reader === undefined) throw new Error(`no log reader for ${format}`);
  return {
    read: (line, observe) => (reader.read(line, observe) ? format : undefined),
    time: (line, nowMs) => reader.time(line, nowMs),
  };
}

function autoDetecting(): LogLineReader {
  const readers = new Map<LogFormat, FormatReader>();
  for (const format of Object.keys(FACTORIES) as LogFormat[]) {
    const reader = readerFor(format);
    if (reader !== undefined) readers.set(format, reader);
  }
  let last: FormatReader | undefined;
  let lastFormat: LogFormat | undefined;
  return {
    read(line: string, observe: Observe) {
      if (last !== undefined && last.read(line, observe)) return lastFormat;
      for (const format of candidatesOf(line)) {
        const reader = readers.get(format);
        if (reader === undefined || reader === last) continue;
        if (reader.read(line, observe)) {
          last = reader;
          lastFormat = format;
          return format;
        }
      }
      return undefined;
    },
    time(line, nowMs) {
      return last?.time(line, nowMs);
    },
  };
}

/** A reader for one input (a file, standard input, a request's lines): its state lives as long as the input. */
export function createLogLineReader(format: LogFormat | 'auto'): LogLineReader {
  return format === 'auto' ? autoDetecting() : singleFormat(format);
}
