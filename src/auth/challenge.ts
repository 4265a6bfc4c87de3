/**
 * The `WWW-Authenticate` challenge sent with every 401: clients may answer with Basic credentials
 * (what TAXII clients send) or with an API key as a bearer token.
 */
export const DEFAULT_REALM = 'taxii-hub';

export function authChallenge(realm: string = DEFAULT_REALM): string {
  const quoted = `"${realm.replace(/["\\]/g, '\\$&')}"`;
  return `Basic realm=${quoted}, Bearer realm=${quoted}`;
}

export const WWW_AUTHENTICATE_CHALLENGE = authChallenge(DEFAULT_REALM);
