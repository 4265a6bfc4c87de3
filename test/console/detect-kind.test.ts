import { detectKind } from '../../console/src/pages/share/detect-kind';
import { linesToItems } from '../../console/src/pages/share/submission-lines';

describe('the Share page tells the kind of a pasted value (the hub still judges each value)', () => {
  test.each([
    ['198.51.100.7', { kind: 'c2-ip' }],
    ['2001:db8::7', { kind: 'c2-ip' }],
    ['192.0.2.0/24', { kind: 'c2-ip' }],
    ['999.1.1.1', { kind: 'c2-ip' }], // looks like an address: the hub says why it is not one
    ['HTTP://Evil.Example/x', { kind: 'url' }],
    ['hxxp://evil[.]example', { kind: 'url' }], // defanged: the hub refuses it with its hint
    ['billing@invoices.example', { kind: 'email-from' }],
    ['cdn.bücher.example', { kind: 'c2-hostname' }],
    ['d41d8cd98f00b204e9800998ecf8427e', { kind: 'file-hash', algorithm: 'MD5' }],
    ['9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08', { kind: 'file-hash', algorithm: 'SHA-256' }],
  ])('%s', (value, expected) => {
    expect(detectKind(value)).toEqual(expected);
  });

  test('a subject or a single word is not guessed', () => {
    expect(detectKind('Your invoice is overdue')).toBeUndefined();
    expect(detectKind('localhost')).toBeUndefined();
  });

  test('blank lines are skipped, line numbers kept; an undetected line sends no item', () => {
    expect(linesToItems('198.51.100.7\n\nnot a value\nevil.example', 'detect', 'detect')).toEqual({
      lines: [{ number: 1, text: '198.51.100.7', item: 0 }, { number: 3, text: 'not a value' }, { number: 4, text: 'evil.example', item: 1 }],
      items: [{ kind: 'c2-ip', value: '198.51.100.7' }, { kind: 'c2-hostname', value: 'evil.example' }],
    });
    expect(linesToItems('ABCD', 'file-hash', 'SHA-1').items).toEqual([{ kind: 'file-hash', value: 'ABCD', algorithm: 'SHA-1' }]);
    expect(linesToItems('Your invoice', 'email-subject', 'detect').items).toEqual([{ kind: 'email-subject', value: 'Your invoice' }]);
  });
});
