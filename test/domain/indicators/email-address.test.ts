import { accepted, expectInvalid, expectValid, VALID_SENDERS, type InvalidRow } from './indicator-tables';

const INVALID_SENDERS: readonly InvalidRow[] = [
  ['', 'is empty'],
  ['Eve <eve@x.example>', "has a display name or angle brackets; send only the address, e.g. 'eve@x.example'"],
  ['<eve@x.example>', 'send only the address'],
  ['"Eve" eve@x.example', 'has a quoted local part'],
  ['"eve smith"@x.example', 'has a quoted local part'],
  ['eve.x.example', "has no '@'"],
  ['@x.example', 'has nothing before the @'],
  ['eve@', 'has nothing after the @'],
  ['.eve@x.example', "starts or ends with '.'"],
  ['eve.@x.example', "starts or ends with '.'"],
  ['e..ve@x.example', 'two dots in a row'],
  ['eve smith@x.example', "containing ' '"],
  ['evé@x.example', "containing 'é'"],
  ['a@b@x.example', "containing '@'"],
  [`${'x'.repeat(65)}@example.com`, 'has a local part of 65 characters'],
  ['eve@[192.0.2.1]', 'has an IP address as its domain'],
  ['eve@192.0.2.1', 'has an IP address as its domain'],
  ['eve@localhost', 'the domain of \'eve@localhost\' is invalid'],
  ['eve@-x.example', "starts or ends with '-'"],
  ['eve@x.123', "all-digit label '123'"],
  [`${'x'.repeat(64)}@${Array.from({ length: 3 }, () => 'a'.repeat(63)).join('.')}.example`, 'an address has at most 254'],
];

describe('email-from', () => {
  expectValid('email-from', VALID_SENDERS);
  expectInvalid('email-from', INVALID_SENDERS);
});

test('a sender keeps the case of its local part and lower-cases its domain', () => {
  expect(accepted({ kind: 'email-from', value: 'Eve.Smith@Bücher.Example' })).toEqual({
    kind: 'email-from',
    value: 'Eve.Smith@xn--bcher-kva.example',
    pattern: "[email-message:from_ref.value = 'Eve.Smith@xn--bcher-kva.example']",
    observableType: 'email-addr',
    label: 'E-mail from Eve.Smith@xn--bcher-kva.example',
  });
});

test("a sender with an apostrophe is escaped in the pattern", () => {
  expect(accepted({ kind: 'email-from', value: "o'brien@example.ie" }).pattern).toBe("[email-message:from_ref.value = 'o\\'brien@example.ie']");
});
