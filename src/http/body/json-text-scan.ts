/**
 * One pass over the raw text of a JSON body, before JSON.parse, for what JSON.parse lets through but
 * the hub must not take:
 *
 * - nesting deeper than a limit: JSON.parse copes, but JSON.stringify, ajv and the database's jsonb
 *   recurse per level and overflow their stacks thousands of levels down, long after validation;
 * - a key repeated in one object: JSON.parse silently keeps the last value, so the hub would store
 *   something other than what was sent (RFC 8259 §4 leaves the meaning undefined; I-JSON forbids it);
 * - the escapes `\u0000` (NUL) and lone surrogates (`\ud800` not followed by a low surrogate escape,
 *   or a low surrogate alone): JSON.parse turns them into strings that are not Unicode text, which
 *   PostgreSQL text and jsonb cannot hold.
 *
 * Raw (unescaped) surrogates cannot occur: the body was decoded as UTF-8 with a fatal decoder, and
 * UTF-8 cannot encode them. Syntax is not checked here: JSON.parse does that next, so on malformed
 * text this pass may find nothing, or something that is also there. Strings are skipped with indexOf,
 * so the cost is in the structure, not the text (figures in docs/benchmarks.md).
 */

/** How deep a JSON body may nest: the top-level object or array is level 1. */
export const MAX_JSON_DEPTH = 100;

export type JsonTextIssue =
  | { readonly kind: 'too-deep'; readonly path: string; readonly limit: number }
  | { readonly kind: 'duplicate-key'; readonly path: string; readonly key: string }
  | { readonly kind: 'nul'; readonly path: string }
  | { readonly kind: 'lone-surrogate'; readonly path: string; readonly escape: string };

export type JsonTextScan = { readonly ok: true } | { readonly ok: false; readonly issue: JsonTextIssue };

const OK: JsonTextScan = { ok: true };

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const LETTER_U = 0x75;

/** A path is cut to this many characters in messages (a too-deep path has a hundred segments or more). */
const MAX_PATH_LENGTH = 100;

export function scanJsonText(text: string, maxDepth: number = MAX_JSON_DEPTH): JsonTextScan {
  // Per open container, by level (0 = the top level): array or object, the index of the current
  // element (arrays), the span of the current key (objects), and the keys seen so far (objects).
  const isArray = new Uint8Array(maxDepth + 1);
  const index = new Int32Array(maxDepth + 1);
  const keyStart = new Int32Array(maxDepth + 1);
  const keyEnd = new Int32Array(maxDepth + 1);
  const keysSeen: KeysSeen[] = [];
  let depth = 0;
  let expectKey = false;
  let nextBackslash = text.indexOf('\\');

  const containerPath = (levels: number): string => renderPath(text, levels, isArray, index, keyStart, keyEnd);
  const stringPath = (start: number, inKey: boolean): string =>
    inKey ? joinKey(containerPath(depth - 1), keyText(text, start, closingQuote(text, start))) : containerPath(depth);

  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      const inKey = expectKey && depth > 0 && isArray[depth - 1] === 0;
      let escaped = false;
      let from = start;
      let end: number;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return OK; // unterminated: JSON.parse says so
        if (nextBackslash !== -1 && nextBackslash < from) nextBackslash = text.indexOf('\\', from);
        if (nextBackslash === -1 || nextBackslash > quote) {
          end = quote;
          break;
        }
        escaped = true;
        const b = nextBackslash;
        if (text.charCodeAt(b + 1) !== LETTER_U) {
          from = b + 2; // \" \\ \/ \b \f \n \r \t
          continue;
        }
        const unit = hex4(text, b + 2);
        if (unit === 0) return { ok: false, issue: { kind: 'nul', path: stringPath(start, inKey) } };
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (text.charCodeAt(b + 6) === BACKSLASH && text.charCodeAt(b + 7) === LETTER_U) {
            const low = hex4(text, b + 8);
            if (low >= 0xdc00 && low <= 0xdfff) {
              from = b + 12;
              continue;
            }
          }
        }
        if (unit >= 0xd800 && unit <= 0xdfff) {
          return { ok: false, issue: { kind: 'lone-surrogate', path: stringPath(start, inKey), escape: text.slice(b, b + 6) } };
        }
        from = b + 2; // a malformed \u escape is JSON.parse's to report
      }
      if (inKey) {
        const level = depth - 1;
        keyStart[level] = start;
        keyEnd[level] = end;
        const repeated = (keysSeen[level] as KeysSeen).add(text, start, end, escaped);
        if (repeated !== undefined) return { ok: false, issue: { kind: 'duplicate-key', path: containerPath(level), key: repeated } };
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    switch (c) {
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        if (depth >= maxDepth) return { ok: false, issue: { kind: 'too-deep', path: containerPath(depth), limit: maxDepth } };
        if (c === OPEN_OBJECT) {
          isArray[depth] = 0;
          const seen = keysSeen[depth];
          if (seen === undefined) keysSeen[depth] = new KeysSeen();
          else seen.clear();
          expectKey = true;
        } else {
          isArray[depth] = 1;
          index[depth] = 0;
          expectKey = false;
        }
        depth++;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        if (depth > 0) depth--;
        expectKey = false;
        break;
      case COMMA:
        if (depth > 0) {
          if (isArray[depth - 1] === 1) index[depth - 1] = (index[depth - 1] ?? 0) + 1;
          else expectKey = true;
        }
        break;
      default:
        break; // whitespace, ':', numbers, true, false, null
    }
    i++;
  }
  return OK;
}

/**
 * The keys of one object so far. Objects have a few dozen keys at most, so a new key is compared with
 * the earlier ones in place (lengths first, then characters), which costs less than slicing and
 * hashing every key; past SMALL_OBJECT_KEYS keys, or once a key has escapes, a Set of the decoded
 * keys takes over, so a body of one huge object stays linear.
 */
class KeysSeen {
  private static readonly SMALL_OBJECT_KEYS = 32;
  private readonly spans: number[] = [];
  private set: Set<string> | undefined;

  clear(): void {
    this.spans.length = 0;
    this.set = undefined;
  }

  /** Adds the key between the quotes at start - 1 and end; returns it when the object has it already. */
  add(text: string, start: number, end: number, escaped: boolean): string | undefined {
    if (this.set === undefined && !escaped && this.spans.length < 2 * KeysSeen.SMALL_OBJECT_KEYS) {
      const length = end - start;
      const spans = this.spans;
      for (let k = 0; k < spans.length; k += 2) {
        const from = spans[k] as number;
        if ((spans[k + 1] as number) - from === length && sameText(text, from, start, length)) return text.slice(start, end);
      }
      spans.push(start, end);
      return undefined;
    }
    const set = this.set ?? this.toSet(text);
    const key = escaped ? decodeString(text, start, end) : text.slice(start, end);
    if (key === undefined) return undefined; // malformed: JSON.parse says so
    if (set.has(key)) return key;
    set.add(key);
    return undefined;
  }

  private toSet(text: string): Set<string> {
    const set = new Set<string>();
    for (let k = 0; k < this.spans.length; k += 2) set.add(text.slice(this.spans[k], this.spans[k + 1]));
    this.set = set;
    return set;
  }
}

function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** The value of four hex digits at `at`, or -1. */
function hex4(text: string, at: number): number {
  let value = 0;
  for (let k = at; k < at + 4; k++) {
    const c = text.charCodeAt(k);
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** The JSON string between the quotes at start - 1 and end, decoded; undefined when it is malformed. */
function decodeString(text: string, start: number, end: number): string | undefined {
  try {
    return JSON.parse(text.slice(start - 1, end + 1)) as string;
  } catch {
    return undefined;
  }
}

/** The index of the quote closing the string that starts at `start` (past escapes), or the text's end. */
function closingQuote(text: string, start: number): number {
  for (let k = start; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === BACKSLASH) k++;
    else if (c === QUOTE) return k;
  }
  return text.length;
}

/** A key for a message, with escapes kept visible. */
function keyText(text: string, start: number, end: number): string {
  return decodeString(text, start, end) ?? text.slice(start, end);
}

/** `objects[0].extensions["a.b"].x`: plain keys dotted, other keys quoted, lone surrogates and NUL escaped. */
function joinKey(path: string, key: string): string {
  const plain = /^[A-Za-z0-9_$@:+-]+$/.test(key);
  const segment = plain ? key : `[${JSON.stringify(key)}]`;
  return path === '(root)' ? segment : plain ? `${path}.${segment}` : `${path}${segment}`;
}

function renderPath(text: string, levels: number, isArray: Uint8Array, index: Int32Array, keyStart: Int32Array, keyEnd: Int32Array): string {
  let path = '(root)';
  for (let level = 0; level < levels; level++) {
    if (isArray[level] === 1) path = `${path === '(root)' ? '' : path}[${index[level] ?? 0}]`;
    else path = joinKey(path, keyText(text, keyStart[level] ?? 0, keyEnd[level] ?? 0));
    if (path.length > MAX_PATH_LENGTH) return `${path.slice(0, MAX_PATH_LENGTH - 1)}…`;
  }
  return path;
}
