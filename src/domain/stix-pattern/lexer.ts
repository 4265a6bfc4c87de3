/**
 * Tokenizer for STIX 2.1 patterns. Keywords are not distinguished here: they are words, and the
 * parser decides by position (so a property may be called `start`). Typed literals are validated
 * while lexing so that their errors point inside the literal.
 */

import { utcTimestampProblem } from '../timestamps';

export type TokenKind = 'punct' | 'op' | 'word' | 'string' | 'int' | 'float' | 'timestamp' | 'hex' | 'binary' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The raw text of the token ('' at the end). */
  readonly text: string;
  /** Decoded value: string contents, the digits of `h''`, the base64 of `b''`, the timestamp text. */
  readonly value: string;
  readonly position: number;
}

/** Thrown inside the lexer and parser only; parseStixPattern turns it into an error result. */
export class PatternSyntaxError extends Error {
  constructor(readonly position: number, message: string) {
    super(message);
  }
}

const PUNCTUATION = new Set(['[', ']', '(', ')', ',', ':', '.', '*']);

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0x85 || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code) || code === 45; // '-' (object types such as x-acme-widget)
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  const length = pattern.length;
  let i = 0;

  /** Reads a quoted body starting at the opening quote; returns the decoded text and the end offset. */
  const readQuoted = (quote: number, what: string): { value: string; end: number } => {
    let value = '';
    let chunkStart = quote + 1;
    let j = quote + 1;
    while (j < length) {
      const c = pattern.charCodeAt(j);
      if (c === 39) return { value: value + pattern.slice(chunkStart, j), end: j + 1 };
      if (c === 92) {
        const next = pattern[j + 1];
        if (next !== "'" && next !== '\\') {
          const shown = next === undefined ? 'at the end of the pattern' : `'\\${next}'`;
          throw new PatternSyntaxError(j, `invalid escape ${shown} in ${what}: only \\' and \\\\ are allowed`);
        }
        value += pattern.slice(chunkStart, j) + next;
        j += 2;
        chunkStart = j;
        continue;
      }
      j++;
    }
    throw new PatternSyntaxError(quote, `unterminated ${what} starting at ${quote}: missing closing quote`);
  };

  while (i < length) {
    const code = pattern.charCodeAt(i);
    if (isWhitespace(code)) {
      i++;
      continue;
    }
    const start = i;
    const ch = pattern[i] as string;
    if (code === 39) {
      const { value, end } = readQuoted(i, 'string');
      tokens.push({ kind: 'string', text: pattern.slice(start, end), value, position: start });
      i = end;
      continue;
    }
    if ((ch === 't' || ch === 'h' || ch === 'b') && pattern.charCodeAt(i + 1) === 39) {
      const what = ch === 't' ? 'timestamp' : ch === 'h' ? 'hex constant' : 'binary constant';
      const { value, end } = readQuoted(i + 1, what);
      if (ch === 't') {
        const problem = utcTimestampProblem(value);
        if (problem !== undefined) throw new PatternSyntaxError(start, `invalid timestamp t'${value}': it ${problem}`);
        tokens.push({ kind: 'timestamp', text: pattern.slice(start, end), value, position: start });
      } else if (ch === 'h') {
        if (!HEX.test(value)) throw new PatternSyntaxError(start, `invalid hex constant h'${value}': it needs an even number of hex digits`);
        tokens.push({ kind: 'hex', text: pattern.slice(start, end), value: value.toLowerCase(), position: start });
      } else {
        if (!BASE64.test(value)) throw new PatternSyntaxError(start, `invalid binary constant b'${value}': it is not valid base64`);
        tokens.push({ kind: 'binary', text: pattern.slice(start, end), value, position: start });
      }
      i = end;
      continue;
    }
    if (isIdentifierStart(code)) {
      i++;
      while (i < length && isIdentifierPart(pattern.charCodeAt(i))) i++;
      const text = pattern.slice(start, i);
      tokens.push({ kind: 'word', text, value: text, position: start });
      continue;
    }
    if (isDigit(code) || ch === '+' || ch === '-' || (ch === '.' && isDigit(pattern.charCodeAt(i + 1)))) {
      tokens.push(readNumber(pattern, start));
      i = start + (tokens[tokens.length - 1] as Token).text.length;
      continue;
    }
    if (ch === '!' || ch === '=' || ch === '<' || ch === '>') {
      const two = pattern.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two, value: two, position: start });
        i += 2;
      } else if (ch === '!') {
        throw new PatternSyntaxError(start, "unexpected '!': did you mean '!='?");
      } else {
        tokens.push({ kind: 'op', text: ch, value: ch, position: start });
        i++;
      }
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, position: start });
      i++;
      continue;
    }
    if (ch === '"') throw new PatternSyntaxError(start, 'unexpected \'"\': strings are quoted with single quotes');
    throw new PatternSyntaxError(start, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '', value: '', position: length });
  return tokens;
}

/** Integers are `0` or have no leading zero; floats are `[digits].digits`; both take an optional sign. */
function readNumber(pattern: string, start: number): Token {
  let i = start;
  if (pattern[i] === '+' || pattern[i] === '-') i++;
  const digitsStart = i;
  while (isDigit(pattern.charCodeAt(i))) i++;
  const intDigits = pattern.slice(digitsStart, i);
  if (pattern[i] === '.') {
    const fractionStart = i + 1;
    i = fractionStart;
    while (isDigit(pattern.charCodeAt(i))) i++;
    if (i === fractionStart) throw new PatternSyntaxError(start, `invalid number '${pattern.slice(start, i)}': digits must follow the '.'`);
    const text = pattern.slice(start, i);
    return { kind: 'float', text, value: text, position: start };
  }
  if (intDigits === '') throw new PatternSyntaxError(start, `unexpected '${pattern[start]}': a sign must be followed by a number`);
  if (intDigits.length > 1 && intDigits.startsWith('0')) throw new PatternSyntaxError(start, `invalid integer '${pattern.slice(start, i)}': leading zeros are not allowed`);
  const text = pattern.slice(start, i);
  return { kind: 'int', text, value: text, position: start };
}
