/** How labels and messages show values: long values shortened, invisible characters named. */

/** `U+000A` for the first code point of `char`. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` cut to at most `max` code points, ending in '…' when it was cut (never splitting a surrogate pair). */
export function shortened(text: string, max = 80): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A value quoted for a message, shortened so that a message stays readable. */
export function quoted(text: string): string {
  return `'${shortened(text, 60)}'`;
}
