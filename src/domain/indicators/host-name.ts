import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { findControlCharacter } from './character-checks';
import { codePointName, quoted } from './value-display';

/**
 * Fully qualified host names, as C2 host names and as e-mail domains: lower case, no trailing dot,
 * internationalised names in punycode (UTS #46 as WHATWG URL applies it), labels of letters,
 * digits, hyphens and underscores.
 */

export type HostNameCheck =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'ip-address' | 'invalid'; readonly message: string };

const MAX_NAME = 253;
const MAX_LABEL = 63;
const LABEL_CHARACTERS = /^[a-z0-9_-]+$/;
const ALL_DIGITS = /^[0-9]+$/;
/**
 * An ASCII character that cannot be in a host name. Checked before conversion: node's domainToASCII
 * reads its input as a URL host and silently drops everything from a '/', '?', '#' or '\\' on.
 */
const ASCII_OUTSIDE_NAMES = /[^\u0080-\u{10FFFF}A-Za-z0-9._-]/u;

function invalid(message: string): HostNameCheck {
  return { ok: false, reason: 'invalid', message };
}

function labelProblem(label: string): string | undefined {
  if (label === '') return 'has an empty label (two dots in a row, or a dot at the start)';
  if (label.length > MAX_LABEL) return `has a label of ${label.length} characters; a label has at most ${MAX_LABEL}`;
  if (!LABEL_CHARACTERS.test(label)) return `has a label ${quoted(label)} with characters other than letters, digits, '-' and '_'`;
  if (label.startsWith('-') || label.endsWith('-')) return `has a label ${quoted(label)} that starts or ends with '-'`;
  return undefined;
}

function allDigitTld(text: string, label: string): string {
  return `${quoted(text)} ends in the all-digit label ${quoted(label)}; a top-level domain is never all digits`;
}

/** Normalises a host name; `text` is already trimmed. */
export function normaliseHostName(text: string): HostNameCheck {
  if (text === '') return invalid('is empty; send a fully qualified host name such as c2.example.com');
  const bare = text.endsWith('.') ? text.slice(0, -1) : text;
  const unbracketed = bare.startsWith('[') && bare.endsWith(']') ? bare.slice(1, -1) : bare;
  if (isIP(unbracketed) !== 0) return { ok: false, reason: 'ip-address', message: `${quoted(text)} is an IP address` };
  const control = findControlCharacter(bare);
  if (control !== undefined) return invalid(`${quoted(text)} contains the control character ${codePointName(control.char)}`);
  const space = /\s/u.exec(bare);
  if (space) return invalid(`${quoted(text)} contains whitespace (${codePointName(space[0])}); a host name has none`);
  if (bare.includes('%')) return invalid(`${quoted(text)} contains '%'; send the host name without percent-encoding`);
  const stray = ASCII_OUTSIDE_NAMES.exec(bare);
  if (stray) {
    if (stray[0] === '*') return invalid(`${quoted(text)} contains '*': wildcards are not accepted; send each host name`);
    const hint = '/:@?#'.includes(stray[0]) ? '; send only the host name, not a URL or an address' : '';
    return invalid(`${quoted(text)} contains ${quoted(stray[0])}; a host name has only letters, digits, '-', '_' and '.'${hint}`);
  }
  const labels = bare.split('.');
  if (labels.every((label) => ALL_DIGITS.test(label))) return { ok: false, reason: 'ip-address', message: `${quoted(text)} is an IP address` };
  const ascii = domainToASCII(bare);
  if (isIP(ascii) !== 0) return { ok: false, reason: 'ip-address', message: `${quoted(text)} is an IP address (${ascii})` };
  const lastGiven = labels[labels.length - 1] as string;
  if (ALL_DIGITS.test(lastGiven)) return invalid(allDigitTld(text, lastGiven));
  if (ascii === '') return invalid(`${quoted(text)} is not a valid host name: it cannot be converted to an ASCII (punycode) name`);
  const asciiLabels = ascii.split('.');
  for (const label of asciiLabels) {
    const problem = labelProblem(label);
    if (problem !== undefined) return invalid(`${quoted(text)} ${problem}`);
  }
  if (asciiLabels.length < 2) return invalid(`${quoted(text)} is a single label; send the fully qualified name, with its domain`);
  const last = asciiLabels[asciiLabels.length - 1] as string;
  if (ALL_DIGITS.test(last)) return invalid(allDigitTld(text, last));
  if (ascii.length > MAX_NAME) return invalid(`${quoted(text)} is ${ascii.length} characters long as ASCII; a host name has at most ${MAX_NAME}`);
  return { ok: true, value: ascii };
}
