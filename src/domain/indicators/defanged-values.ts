import { quoted } from './value-display';

/**
 * Defanged values (`evil[.]example`, `hxxp://…`, `eve[@]example.com`) are how analysts share
 * indicators in prose; the hub needs the live value and refuses these with a hint instead of guessing.
 */

/** Bracketed only: parentheses also occur in live URLs, and host names and addresses refuse them anyway. */
const DEFANGED_MARKS = /\[\.\]|\{\.\}|\[dot\]|\[@\]|\[at\]|\[:\]|\[:\/\/\]/i;
const DEFANGED_SCHEME = /^(hxxps?|fxps?)(?=:|\[:)/i;

/** Why a structured value looks defanged, or undefined. */
export function defangingProblem(text: string): string | undefined {
  const scheme = DEFANGED_SCHEME.exec(text);
  if (scheme) {
    const live = (scheme[1] as string).toLowerCase().replace('hxxp', 'http').replace('fxp', 'ftp');
    return `looks defanged (scheme ${quoted(scheme[1] as string)}); send the live value with scheme ${live}: the hub stores it as data, never follows it`;
  }
  const mark = DEFANGED_MARKS.exec(text);
  if (mark) return `looks defanged (${quoted(mark[0])}); send the live value, with plain '.', '@' and ':'`;
  return undefined;
}
