import type { ObservationKind, Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { jsonObjectOf } from './json-line';

/**
 * JSON lines in the Elastic Common Schema, with nested objects (`{"source":{"ip":"..."}}`), dotted keys
 * (`{"source.ip":"..."}`) or a mix; a field may hold an array. JSON.parse runs only on lines that hold
 * one of the wanted leaf keys (most do; a heartbeat or metric line does not).
 */

type Wanted = readonly [path: string, kind: ObservationKind, field: string];

const WANTED: readonly Wanted[] = [
  ['source.ip', 'ip', 'source-ip'],
  ['destination.ip', 'ip', 'destination-ip'],
  ['client.ip', 'ip', 'client-ip'],
  ['server.ip', 'ip', 'server-ip'],
  ['destination.domain', 'host', 'destination-host'],
  ['dns.question.name', 'host', 'dns-query'],
  ['dns.resolved_ip', 'ip', 'dns-answer'],
  ['email.from.address', 'email', 'header-from'],
  // The Sender header (RFC 5322 §3.6.2), not the envelope sender.
  ['email.sender.address', 'email', 'header-sender'],
  ['email.subject', 'subject', 'subject'],
  ['file.hash.md5', 'hash', 'file-hash'],
  ['file.hash.sha1', 'hash', 'file-hash'],
  ['file.hash.sha256', 'hash', 'file-hash'],
  ['file.hash.sha512', 'hash', 'file-hash'],
  ['file.name', 'filename', 'file-name'],
];

const ATTACHMENT: readonly Wanted[] = [
  ['file.name', 'filename', 'attachment-name'],
  ['file.hash.md5', 'hash', 'attachment-hash'],
  ['file.hash.sha1', 'hash', 'attachment-hash'],
  ['file.hash.sha256', 'hash', 'attachment-hash'],
  ['file.hash.sha512', 'hash', 'attachment-hash'],
];

/** Leaf keys as they appear in the text, nested or dotted, whichever the line uses. */
const KEY_HINTS = ['ip"', 'domain"', 'name"', 'address"', 'subject"', 'md5"', 'sha1"', 'sha256"', 'sha512"', 'full"', 'original"'];

/** The values at a dotted path, however the object spells it (nested, dotted or mixed); arrays flattened. */
function valuesAt(object: unknown, path: string, out: unknown[]): void {
  if (object === null || typeof object !== 'object') return;
  if (Array.isArray(object)) {
    for (const item of object) valuesAt(item, path, out);
    return;
  }
  const record = object as Record<string, unknown>;
  const whole = record[path];
  if (whole !== undefined) {
    if (Array.isArray(whole)) out.push(...whole);
    else out.push(whole);
  }
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
    const inner = record[path.substring(0, dot)];
    if (inner !== undefined) valuesAt(inner, path.substring(dot + 1), out);
  }
}

function stringsAt(object: unknown, path: string): string[] {
  const found: unknown[] = [];
  valuesAt(object, path, found);
  return found.filter((value): value is string => typeof value === 'string' && value !== '');
}

function observeAll(object: unknown, wanted: readonly Wanted[], observe: Observe): void {
  for (const [path, kind, field] of wanted) {
    for (const value of stringsAt(object, path)) observe(kind, field, value);
  }
}

/** url.full, else url.original when it is absolute, else url.domain: one of them, the index reads the host in a URL. */
function observeUrl(record: Record<string, unknown>, observe: Observe): void {
  const full = stringsAt(record, 'url.full');
  const urls = full.length > 0 ? full : stringsAt(record, 'url.original').filter((url) => url.includes('://'));
  for (const url of urls) observe('url', 'url', url);
  if (urls.length === 0) for (const domain of stringsAt(record, 'url.domain')) observe('host', 'url-domain', domain);
}

export function createEcsReader(): FormatReader {
  return {
    read(line, observe) {
      const brace = line.indexOf('{');
      if (brace < 0 || line.substring(0, brace).trim() !== '') return false;
      if (line.includes('"id.orig_h"') || (line.includes('"uid"') && line.includes('"ts"'))) return false; // Zeek's JSON
      if (!KEY_HINTS.some((hint) => line.includes(hint))) return line.trimEnd().endsWith('}');
      const record = jsonObjectOf(line);
      if (record === undefined) return false;
      observeAll(record, WANTED, observe);
      observeUrl(record, observe);
      for (const attachments of [record['email.attachments'], (record.email as Record<string, unknown> | undefined)?.attachments]) {
        if (Array.isArray(attachments)) for (const attachment of attachments) observeAll(attachment, ATTACHMENT, observe);
      }
      return true;
    },
    time(line) {
      const timestamp = jsonObjectOf(line)?.['@timestamp'];
      if (typeof timestamp === 'number') return timestamp;
      if (typeof timestamp !== 'string') return undefined;
      const ms = Date.parse(timestamp);
      return Number.isNaN(ms) ? undefined : ms;
    },
  };
}
