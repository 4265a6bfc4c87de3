import type { PatternParseResult } from './ast';
import { PatternSyntaxError, tokenize } from './lexer';
import { PatternParser } from './parser';

export type * from './ast';

/**
 * Parses a STIX 2.1 pattern (STIX 2.1 §9). On failure, `position` is the 0-based offset of the
 * offending character or token and `message` says what was expected and what was found.
 */
export function parseStixPattern(pattern: string): PatternParseResult {
  try {
    return { ok: true, ast: new PatternParser(tokenize(pattern)).parsePattern() };
  } catch (error) {
    if (error instanceof PatternSyntaxError) return { ok: false, error: { position: error.position, message: error.message } };
    throw error;
  }
}
