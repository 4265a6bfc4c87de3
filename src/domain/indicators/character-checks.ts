import { codePointName } from './value-display';

/** Character-level checks shared by the kinds: control characters, and what no value may contain. */

/** A Unicode control character (general category Cc: U+0000-U+001F and U+007F-U+009F). */
const CONTROL = /\p{Cc}/u;
/** A UTF-16 surrogate not paired with its partner: not a character, and not storable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface CharacterAt {
  readonly char: string;
  /** 0-based offset in UTF-16 code units, as JavaScript counts. */
  readonly position: number;
}

function firstMatch(value: string, pattern: RegExp, allowed: ReadonlySet<string>): CharacterAt | undefined {
  let position = 0;
  for (const char of value) {
    if (pattern.test(char) && !allowed.has(char)) return { char, position };
    position += char.length;
  }
  return undefined;
}

const NONE: ReadonlySet<string> = new Set();

/** The first control character in `value` that is not in `allowed`. */
export function findControlCharacter(value: string, allowed: ReadonlySet<string> = NONE): CharacterAt | undefined {
  return firstMatch(value, CONTROL, allowed);
}

/** The first character of `value` that no value may contain (U+0000, or a lone surrogate), with the reason. */
export function forbiddenCharacterProblem(value: string): string | undefined {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `contains U+0000 (NUL) at position ${nul}; no value may contain it`;
  const lone = firstMatch(value, LONE_SURROGATE, NONE);
  if (lone !== undefined) return `contains a lone surrogate ${codePointName(lone.char)} at position ${lone.position}, which is not valid Unicode text`;
  return undefined;
}
