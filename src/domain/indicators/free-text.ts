import { findControlCharacter } from './character-checks';
import type { ValueCheck } from './indicator-kinds';
import { codePointName, quoted } from './value-display';

/**
 * E-mail subjects and attachment file names: matched exactly as the message carries them, so they
 * are kept verbatim (never trimmed or case-changed). Lengths count Unicode code points.
 */

/** RFC 5322 §2.1.1: a line is at most 998 characters. */
export const MAX_SUBJECT = 998;
/** The common file-system limit on one file name. */
export const MAX_ATTACHMENT_NAME = 255;

const TAB: ReadonlySet<string> = new Set(['\t']);
const ONLY_WHITESPACE = /^\s+$/u;

function lengthProblem(text: string, what: string, max: number): string | undefined {
  if (text === '') return `is empty; send the ${what} exactly as it appears in the message`;
  const length = Array.from(text).length;
  if (length > max) return `is ${length} characters long; ${what === 'subject' ? 'a subject' : 'an attachment name'} has at most ${max}`;
  if (ONLY_WHITESPACE.test(text)) return 'is only whitespace';
  return undefined;
}

export function checkSubject(text: string): ValueCheck<string> {
  const problem = lengthProblem(text, 'subject', MAX_SUBJECT);
  if (problem !== undefined) return { ok: false, message: problem };
  const control = findControlCharacter(text, TAB);
  if (control !== undefined) {
    return {
      ok: false,
      message: `contains the control character ${codePointName(control.char)} at position ${control.position}; send the decoded subject as one line (tab is the only control character allowed)`,
    };
  }
  return { ok: true, value: text };
}

export function checkAttachmentName(text: string): ValueCheck<string> {
  const problem = lengthProblem(text, 'attachment name', MAX_ATTACHMENT_NAME);
  if (problem !== undefined) return { ok: false, message: problem };
  const control = findControlCharacter(text);
  if (control !== undefined) {
    return { ok: false, message: `contains the control character ${codePointName(control.char)} at position ${control.position}; a file name has none` };
  }
  const separator = /[/\\]/.exec(text);
  if (separator) {
    const last = text.split(/[/\\]/).pop() ?? '';
    const hint = last.trim() === '' ? '' : ` (${quoted(last)})`;
    return { ok: false, message: `contains '${separator[0]}': this is a path, not a file name; send only the file name${hint}` };
  }
  return { ok: true, value: text };
}
