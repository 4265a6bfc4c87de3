import { accepted, expectInvalid, expectValid, VALID_ATTACHMENT_NAMES, VALID_SUBJECTS, type InvalidRow } from './indicator-tables';

const INVALID_SUBJECTS: readonly InvalidRow[] = [
  ['', 'is empty'],
  [' ', 'is only whitespace'],
  ['\t \u00a0', 'is only whitespace'],
  ['line one\nline two', 'U+000A at position 8'],
  ['carriage\rreturn', 'U+000D'],
  ['nul\u0000byte', 'U+0000'],
  ['bell\u0007', 'U+0007'],
  ['delete\u007f', 'U+007F'],
  ['next line\u0085', 'U+0085'],
  ['x'.repeat(999), 'is 999 characters long; a subject has at most 998'],
  ['lone \ud800 surrogate', 'lone surrogate U+D800'],
];

const INVALID_ATTACHMENT_NAMES: readonly InvalidRow[] = [
  ['', 'is empty'],
  ['   ', 'is only whitespace'],
  ['C:\\Users\\eve\\invoice.exe', "contains '\\': this is a path, not a file name; send only the file name ('invoice.exe')"],
  ['tmp/invoice.exe', "contains '/': this is a path, not a file name"],
  ['dir/', 'this is a path'],
  ['name\twith tab', 'U+0009'],
  ['name\nwith newline', 'U+000A'],
  ['nul\u0000.exe', 'U+0000'],
  ['x'.repeat(256), 'is 256 characters long; an attachment name has at most 255'],
  ['\udc00.exe', 'lone surrogate U+DC00'],
];

describe('email-subject', () => {
  expectValid('email-subject', VALID_SUBJECTS);
  expectInvalid('email-subject', INVALID_SUBJECTS);
});

describe('email-attachment-name', () => {
  expectValid('email-attachment-name', VALID_ATTACHMENT_NAMES);
  expectInvalid('email-attachment-name', INVALID_ATTACHMENT_NAMES);
});

test('a subject with quotes and backslashes is kept verbatim and escaped in its pattern', () => {
  expect(accepted({ kind: 'email-subject', value: " Pay 'now' C:\\temp " })).toEqual({
    kind: 'email-subject',
    value: " Pay 'now' C:\\temp ",
    pattern: "[email-message:subject = ' Pay \\'now\\' C:\\\\temp ']",
    observableType: 'email-message',
    label: 'E-mail subject " Pay \'now\' C:\\temp "',
  });
});

test('an attachment name is matched through the body parts of the message', () => {
  expect(accepted({ kind: 'email-attachment-name', value: 'invoice.pdf.exe' })).toMatchObject({
    pattern: "[email-message:body_multipart[*].body_raw_ref.name = 'invoice.pdf.exe']",
    observableType: 'email-message',
    label: 'E-mail attachment "invoice.pdf.exe"',
  });
});
