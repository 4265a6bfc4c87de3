import { parseStixPattern } from '../../../src/domain/stix-pattern';

/** [pattern, 0-based offset of the problem, fragment of the message]. */
const INVALID: readonly (readonly [string, number, string])[] = [
  // empty and structural
  ['', 0, 'empty pattern'],
  ['   ', 0, 'empty pattern'],
  ["file:name = 'a'", 0, "comparisons must be inside '[' and ']'"],
  ["[file:name = 'a'] AND file:name = 'b'", 22, "comparisons must be inside '[' and ']'"],
  ['[]', 1, 'expected an object path'],
  ["[file:name = 'a'", 16, "expected ']' to close the observation expression opened at 0"],
  ["[file:name = 'a'))", 16, "expected ']' to close the observation expression opened at 0, found ')'"],
  ["file:name = 'a']", 0, 'comparisons must be inside'],
  ["[file:name = 'a']]", 17, "unexpected ']' after a complete observation expression"],
  ["([file:name = 'a']", 18, "expected ')' to close the parenthesis opened at 0"],
  ["[(file:name = 'a']", 17, "expected ')' to close the parenthesis opened at 1, found ']'"],
  ["[file:name = 'a'])", 17, "unexpected ')'"],
  ["[file:name = 'a'] [file:name = 'b']", 18, "unexpected '['"],
  ["[file:name = 'a'] garbage", 18, "unexpected 'garbage'"],
  ["[file:name = 'a'] 42", 18, "unexpected '42'"],
  ["[file:name = 'a'] AND", 21, "expected '[' or '(' to start an observation expression, found the end of the pattern"],
  ["[file:name = 'a'] OR OR [file:name = 'b']", 21, "expected '[' or '('"],
  ["AND [file:name = 'a']", 0, "expected '[' or '('"],
  ["[file:name = 'a'] FOLLOWEDBY", 28, 'found the end of the pattern'],
  ['()', 1, "expected '[' or '('"],
  ["[file:name = 'a' AND]", 20, 'expected an object path'],
  ["[file:name = 'a' OR OR file:name = 'b']", 20, 'expected an object path'],
  ["[file:name = 'a' file:name = 'b']", 17, "expected ']' to close the observation expression opened at 0, found 'file'"],
  ["[[file:name = 'a']]", 1, 'expected an object path'],
  // keyword case
  ["[file:name = 'a'] and [file:name = 'b']", 18, "keywords are case-sensitive: write 'AND'"],
  ["[file:name = 'a' and file:size = 1]", 17, "write 'AND'"],
  ["[file:name = 'a'] followedby [file:name = 'b']", 18, "write 'FOLLOWEDBY'"],
  ["[file:name like 'a%']", 11, "unknown comparison operator 'like' (keywords are case-sensitive: write 'LIKE')"],
  ["[file:name = 'a'] within 5 SECONDS", 18, "write 'WITHIN'"],
  ["[file:name = 'a'] WITHIN 5 seconds", 27, "expected SECONDS after WITHIN 5, found 'seconds'"],
  ['[x-thing:flag = TRUE]', 16, "expected a constant after '=', found 'TRUE'"],
  ["[exists file:name]", 1, "found 'exists' (keywords are case-sensitive: write 'EXISTS')"],
  // operators
  ["[file:name EQUALS 'a']", 11, "unknown comparison operator 'EQUALS'"],
  ["[file:name == 'a']", 12, "expected a constant after '=', found '='"],
  ["[file:name =< 'a']", 12, "expected a constant after '=', found '<'"],
  ["[file:name <> 'a']", 12, "expected a constant after '<', found '>'"],
  ["[file:name ! 'a']", 11, "did you mean '!='"],
  ["[file:name 'a']", 11, 'expected a comparison operator'],
  ['[file:name]', 10, "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET), found ']'"],
  ["[file:name NOT EXISTS]", 15, 'EXISTS goes before the object path'],
  ["[NOT file:name = 'a']", 1, "expected an object path such as file:name, found 'NOT'"],
  ["[file:name NOT NOT = 'a']", 15, "unknown comparison operator 'NOT'"],
  ["[NOT EXISTS file:name]", 1, "found 'NOT'"],
  ['[EXISTS]', 7, 'expected an object path'],
  ["[EXISTS 'file']", 8, 'expected an object path'],
  // missing and mistyped operands
  ['[file:name = ]', 13, "expected a constant after '=', found ']'"],
  ['[file:name =', 12, "expected a constant after '=', found the end of the pattern"],
  ['[file:name = evil.exe]', 13, "found 'evil' (strings are quoted: 'evil')"],
  ['[file:name = "evil.exe"]', 13, 'strings are quoted with single quotes'],
  ['[file:size > true]', 13, '> needs an orderable constant, found boolean true'],
  ['[file:size <= false]', 14, '<= needs an orderable constant'],
  ['[ipv4-addr:value ISSUBSET 10]', 26, 'ISSUBSET needs a string constant, found integer 10'],
  ["[ipv4-addr:value ISSUPERSET h'0a00']", 28, 'ISSUPERSET needs a string constant, found hex'],
  ['[file:name LIKE 5]', 16, 'LIKE needs a string constant'],
  ['[file:name MATCHES true]', 19, 'MATCHES needs a string constant, found boolean true'],
  ["[file:name IN 'a']", 14, "IN needs a set of constants such as ('a', 'b'), found ''a''"],
  ["[file:name IN ('a', )]", 20, "expected a constant in the set, found ')'"],
  ["[file:name IN ('a' 'b')]", 19, "expected ')' to close the set opened at 14, found ''b''"],
  ["[file:name IN ('a',", 19, 'expected a constant in the set, found the end of the pattern'],
  ["[file:name = ('a', 'b')]", 13, "expected a constant after '=', found '('"],
  // strings and typed constants
  ["[file:name = 'unterminated]", 13, 'unterminated string starting at 13'],
  ["[file:name = 'a\\nb']", 15, "invalid escape '\\n' in string: only \\' and \\\\ are allowed"],
  ["[file:name = 'tab\\there']", 17, "invalid escape '\\t'"],
  ["[file:name = 'a\\", 15, 'invalid escape at the end of the pattern'],
  ["[file:created = t'2020-01-01']", 16, "invalid timestamp t'2020-01-01'"],
  ["[file:created = t'2020-02-30T00:00:00Z']", 16, 'has day 30'],
  ["[file:created = t'2019-02-29T00:00:00Z']", 16, 'has day 29, not in 2019-02'],
  ["[file:created = t'2020-13-01T00:00:00Z']", 16, 'has month 13'],
  ["[file:created = t'2020-01-01T24:00:00Z']", 16, 'has hour 24'],
  ["[file:created = t'2020-01-01T00:60:00Z']", 16, 'has minute 60'],
  ["[file:created = t'2020-01-01T00:00:61Z']", 16, 'has second 61'],
  ["[file:created = t'2020-01-01T00:00:00+01:00']", 16, 'not an RFC 3339 UTC timestamp'],
  ["[file:created = t'2020-01-01 00:00:00Z']", 16, 'not an RFC 3339 UTC timestamp'],
  ["[file:created = t'2020-01-01T00:00:00Z]", 17, 'unterminated timestamp'],
  ["[file:magic_number_hex = h'abc']", 25, "invalid hex constant h'abc': it needs an even number of hex digits"],
  ["[file:magic_number_hex = h'zz']", 25, 'invalid hex constant'],
  ["[artifact:payload_bin = b'abc']", 24, "invalid binary constant b'abc': it is not valid base64"],
  ["[artifact:payload_bin = b'ab=c']", 24, 'not valid base64'],
  ["[artifact:payload_bin = b'a===']", 24, 'not valid base64'],
  ['[file:size = 007]', 13, "invalid integer '007': leading zeros are not allowed"],
  ['[file:size = 1.]', 13, "invalid number '1.': digits must follow the '.'"],
  ['[file:size = -]', 13, 'a sign must be followed by a number'],
  ['[file:size = 1 @]', 15, "unexpected character '@'"],
  // object paths
  ["[file = 'a']", 6, "expected ':' after the object type 'file', found '='"],
  ["[:name = 'a']", 1, "expected an object path such as file:name, found ':'"],
  ["[file: = 'a']", 7, "expected a property name, found '='"],
  ["[file:hashes.SHA-256 = 'a']", 13, "property name 'SHA-256' contains '-': quote it"],
  ["[file:hashes. = 'a']", 14, 'expected a property name'],
  ["[file:sections[] = 'a']", 15, "expected a list index (an integer or *), found ']'"],
  ["[file:sections[x] = 'a']", 15, "expected a list index (an integer or *), found 'x'"],
  ["[file:sections[1.5] = 'a']", 15, 'expected a list index'],
  ["[file:sections[0 = 'a']", 17, "expected ']' to close the list index opened at 14, found '='"],
  ["[123:name = 'a']", 1, 'expected an object path'],
  // qualifiers
  ["[file:name = 'a'] WITHIN 0 SECONDS", 25, 'WITHIN needs a positive number of seconds'],
  ["[file:name = 'a'] WITHIN -5 SECONDS", 25, 'WITHIN needs a positive number of seconds'],
  ["[file:name = 'a'] WITHIN SECONDS", 25, "WITHIN needs a positive number of seconds, found 'SECONDS'"],
  ["[file:name = 'a'] WITHIN 5", 26, 'expected SECONDS after WITHIN 5, found the end of the pattern'],
  ["[file:name = 'a'] WITHIN '5' SECONDS", 25, 'WITHIN needs a positive number'],
  ["[file:name = 'a'] REPEATS 0 TIMES", 26, 'REPEATS needs a positive integer count, found \'0\''],
  ["[file:name = 'a'] REPEATS -1 TIMES", 26, 'REPEATS needs a positive integer count'],
  ["[file:name = 'a'] REPEATS 2.5 TIMES", 26, "REPEATS needs a positive integer count, found '2.5'"],
  ["[file:name = 'a'] REPEATS 3", 27, 'expected TIMES after REPEATS 3'],
  ["[file:name = 'a'] REPEATS 3 SECONDS", 28, "expected TIMES after REPEATS 3, found 'SECONDS'"],
  ["[file:name = 'a'] START '2020' STOP t'2021-01-01T00:00:00Z'", 24, "START needs a timestamp t'…'"],
  ["[file:name = 'a'] START t'2020-01-01T00:00:00Z'", 47, 'expected STOP after START'],
  ["[file:name = 'a'] START t'2020-01-01T00:00:00Z' STOP", 52, "STOP needs a timestamp t'…', found the end of the pattern"],
  ["[file:name = 'a'] START t'2021-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00Z'", 53, 'must be later than START'],
  ["[file:name = 'a'] START t'2020-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00.000Z'", 53, 'must be later than START'],
  ["[file:name = 'a'] STOP t'2020-01-01T00:00:00Z'", 18, "unexpected 'STOP'"],
  ["[file:name = 'a' WITHIN 5 SECONDS]", 17, "expected ']' to close the observation expression opened at 0, found 'WITHIN'"],
  ["WITHIN 5 SECONDS [file:name = 'a']", 0, "expected '[' or '('"],
];

test('the corpus holds at least 70 invalid patterns', () => {
  expect(INVALID.length).toBeGreaterThanOrEqual(70);
});

test.each(INVALID)('rejects %p at %p saying "%s"', (pattern, position, fragment) => {
  const result = parseStixPattern(pattern);
  if (result.ok) throw new Error('accepted an invalid pattern');
  expect(result.error.message).toContain(fragment);
  expect(result.error.position).toBe(position);
});

test('a pattern nested beyond the depth bound is rejected, not a stack overflow', () => {
  const deep = `${'('.repeat(5000)}[file:name = 'a']${')'.repeat(5000)}`;
  const result = parseStixPattern(deep);
  expect(result).toEqual({ ok: false, error: { position: 100, message: 'expressions nested deeper than 100 levels' } });
});
