import { basicCredentialsOf } from '../../src/auth/basic-credentials';

const header = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('basicCredentialsOf', () => {
  test('splits at the first ":" only, so a password may contain ":"', () => {
    expect(basicCredentialsOf(header('alice:correct:horse:battery'))).toEqual({
      username: 'alice',
      password: 'correct:horse:battery',
    });
    expect(basicCredentialsOf(header('alice::starts-with-colon'))).toEqual({ username: 'alice', password: ':starts-with-colon' });
    expect(basicCredentialsOf(header('alice:ends-with:'))).toEqual({ username: 'alice', password: 'ends-with:' });
  });

  test('an empty password is read as empty (refused later, as every wrong password is)', () => {
    expect(basicCredentialsOf(header('alice:'))).toEqual({ username: 'alice', password: '' });
  });

  test('a username and password in UTF-8 come back as written', () => {
    expect(basicCredentialsOf(header('山田:パス:ワード✓'))).toEqual({ username: '山田', password: 'パス:ワード✓' });
    expect(basicCredentialsOf(header('zoë:café'))).toEqual({ username: 'zoë', password: 'café' });
  });

  test('bytes that are not UTF-8 (for example Latin-1) are no credentials', () => {
    const latin1 = Buffer.from('zo\xeb:caf\xe9', 'latin1').toString('base64');
    expect(basicCredentialsOf(`Basic ${latin1}`)).toBeUndefined();
  });

  test('the scheme is case-insensitive and padding may be left out', () => {
    const token = Buffer.from('bob:pw1').toString('base64');
    expect(token.endsWith('=')).toBe(true);
    expect(basicCredentialsOf(`basic ${token}`)).toEqual({ username: 'bob', password: 'pw1' });
    expect(basicCredentialsOf(`BASIC ${token.replace(/=+$/, '')}`)).toEqual({ username: 'bob', password: 'pw1' });
  });

  test('malformed base64 is no credentials', () => {
    for (const token of ['!!!', 'YWxp Y2U6cHc=', 'YWxpY2U6cHc===', 'Y', 'YWxpY2U6cHc=extra', 'YW-x_', '%%%%']) {
      expect(basicCredentialsOf(`Basic ${token}`)).toBeUndefined();
    }
  });

  test('a missing header, another scheme, a missing token or a missing ":" is no credentials', () => {
    expect(basicCredentialsOf(undefined)).toBeUndefined();
    expect(basicCredentialsOf('')).toBeUndefined();
    expect(basicCredentialsOf('Basic')).toBeUndefined();
    expect(basicCredentialsOf('Basic ')).toBeUndefined();
    expect(basicCredentialsOf(`Bearer ${Buffer.from('alice:pw').toString('base64')}`)).toBeUndefined();
    expect(basicCredentialsOf(header('alice-without-colon'))).toBeUndefined();
    expect(basicCredentialsOf(header(':password-without-user'))).toBeUndefined();
  });
});
