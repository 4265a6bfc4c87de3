import type { Observe } from '../match-types';
import type { FormatReader } from './format-reader';
import { decodeEncodedWords } from './encoded-words';
import { attachmentName } from './mime-parameters';
import { readSyslogPrefix, syslogParts, syslogTime, type SyslogParts } from './syslog-prefix';
import { addressInHeader, angled, bracketed, sameWordIgnoringCase } from './text-scan';

/**
 * Postfix lines behind a syslog prefix (`postfix/smtpd[123]:`, or `postfix-out/...` for another
 * instance). What they name: smtpd and postscreen the client (`connect from name[ip]`, `client=name[ip]`,
 * `CONNECT from [ip]:port`), rejections the client and the envelope sender, qmgr the envelope sender
 * (`from=<addr>`), cleanup's header_checks / mime_header_checks actions (`warning: header Subject: ...`)
 * the header they acted on.
 */

const MAX_QUEUE_ID_LENGTH = 20;
const MAX_ACTION_LENGTH = 20;

export function isPostfixTag(line: string, parts: SyslogParts): boolean {
  if (!line.startsWith('postfix', parts.tagStart)) return false;
  const next = line.charCodeAt(parts.tagStart + 7);
  return next === 47 /* / */ || next === 45 /* - */ || parts.tagEnd === parts.tagStart + 7;
}

/** `from name[ip]...; from=<sender>`: a rejected RCPT, a milter-reject, a NOQUEUE filter action. */
function readRejection(line: string, at: number, observe: Observe): void {
  const from = line.indexOf(' from ', at);
  const sender = line.indexOf('; from=<', at);
  if (from >= 0 && (sender < 0 || from < sender)) {
    const ip = bracketed(line, from + 6, sender < 0 ? line.length : sender);
    if (ip !== undefined) observe('ip', 'client-ip', ip);
  }
  if (sender >= 0) {
    const address = angled(line, sender + 7);
    if (address !== undefined) observe('email', 'envelope-from', address);
  }
}

/**
 * `header Subject: <value> from name[ip]; from=<a> to=<b> proto=ESMTP helo=<h>` (`from local;` for
 * local submissions). Postfix cuts the value at 200 characters; the ` from ` before `; from=<` ends it.
 */
function readHeaderAction(line: string, nameStart: number, observe: Observe): void {
  const colon = line.indexOf(': ', nameStart);
  if (colon < 0) return;
  const valueStart = colon + 2;
  let end = line.indexOf('; from=<', valueStart);
  if (end < 0) end = line.length;
  const client = line.lastIndexOf(' from ', end);
  if (client >= valueStart) end = client;
  if (end <= valueStart) return;
  if (sameWordIgnoringCase(line, nameStart, colon, 'subject')) {
    observe('subject', 'subject', decodeEncodedWords(line.substring(valueStart, end)));
  } else if (sameWordIgnoringCase(line, nameStart, colon, 'from')) {
    const address = addressInHeader(decodeEncodedWords(line.substring(valueStart, end)));
    if (address !== undefined) observe('email', 'header-from', address);
  } else if (sameWordIgnoringCase(line, nameStart, colon, 'content-disposition') || sameWordIgnoringCase(line, nameStart, colon, 'content-type')) {
    const name = attachmentName(line.substring(valueStart, end));
    if (name !== undefined) observe('filename', 'attachment-name', name);
  }
}

/** The text after `QUEUEID: `, or -1 when the message does not start with a queue id. */
function afterQueueId(line: string, at: number): number {
  const limit = Math.min(line.length, at + MAX_QUEUE_ID_LENGTH + 1);
  for (let i = at; i < limit; i += 1) {
    const code = line.charCodeAt(i);
    if (code === 58 /* : */) return i > at + 4 && line.charCodeAt(i + 1) === 32 ? i + 2 : -1;
    const alnum = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alnum) return -1;
  }
  return -1;
}

/** After `QUEUEID: `: `client=`, `from=<`, or `<action>: header ...` / `<action>: RCPT from ...`. */
function readQueuedMessage(line: string, at: number, observe: Observe): void {
  if (line.startsWith('client=', at)) {
    const comma = line.indexOf(',', at);
    const ip = bracketed(line, at + 7, comma < 0 ? line.length : comma);
    if (ip !== undefined) observe('ip', 'client-ip', ip);
    return;
  }
  if (line.startsWith('from=<', at)) {
    const address = angled(line, at + 5);
    if (address !== undefined) observe('email', 'envelope-from', address);
    return;
  }
  const actionEnd = line.indexOf(': ', at);
  if (actionEnd < 0 || actionEnd - at > MAX_ACTION_LENGTH) return;
  if (line.startsWith('header ', actionEnd + 2)) {
    readHeaderAction(line, actionEnd + 9, observe);
  } else if (!line.startsWith('warning', at) && !line.startsWith('info', at) && !line.startsWith('body ', actionEnd + 2)) {
    readRejection(line, actionEnd + 2, observe);
  }
}

function readPostfixMessage(line: string, at: number, observe: Observe): void {
  if (line.startsWith('connect from ', at)) {
    const ip = bracketed(line, at + 13);
    if (ip !== undefined) observe('ip', 'client-ip', ip);
  } else if (line.startsWith('CONNECT from ', at)) {
    const ip = bracketed(line, at + 13, line.indexOf(' to ', at + 13));
    if (ip !== undefined) observe('ip', 'client-ip', ip);
  } else if (line.startsWith('NOQUEUE: ', at)) {
    readRejection(line, at + 9, observe);
  } else {
    const rest = afterQueueId(line, at);
    if (rest >= 0) readQueuedMessage(line, rest, observe);
  }
}

export function createPostfixReader(): FormatReader {
  const parts = syslogParts();
  return {
    read(line, observe) {
      if (!readSyslogPrefix(line, parts) || !isPostfixTag(line, parts)) return false;
      readPostfixMessage(line, parts.bodyStart, observe);
      return true;
    },
    time(line, nowMs) {
      return readSyslogPrefix(line, parts) ? syslogTime(line, parts, nowMs) : undefined;
    },
  };
}
