/**
 * The username and password of an `Authorization: Basic` header, read as RFC 7617 says.
 *
 * Why this file exists: the hub keeps passport-http for Basic authentication, but passport-http splits the
 * decoded `user:password` text on EVERY ':' and hands its verify callback only the piece between the first
 * and the second ':' as the password, so a password such as `correct:horse:battery` arrives as `correct`.
 * RFC 7617 splits at the first ':' only (a user-id cannot contain ':', a password may). The Basic strategy's
 * verify callback therefore ignores the username and password passport-http passes and takes them from
 * here, decoded from the same header.
 *
 * What passport-http still decides before the callback runs: a header without credentials, a password
 * that is empty, or one that starts with ':' (its second piece is then empty) never reaches the callback
 * and is refused as a failed login (401).
 */

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const SCHEME = /^basic$/i;
// Standard base64 alphabet (RFC 4648 section 4); padding optional, as some clients leave it out.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The credentials of a Basic header, or undefined when there is no header, the scheme is not Basic, the
 * token is not base64, the bytes are not UTF-8, there is no ':' or the username is empty.
 */
export function basicCredentialsOf(authorization: string | undefined): BasicCredentials | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, token, ...rest] = authorization.trim().split(/ +/);
  if (scheme === undefined || !SCHEME.test(scheme) || token === undefined || rest.length > 0) return undefined;
  if (!BASE64.test(token) || token.replace(/=+$/, '').length % 4 === 1) return undefined;
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(token, 'base64'));
  } catch {
    return undefined; // not UTF-8
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
