import type { ValueCheck } from './indicator-kinds';
import { codePointName, quoted } from './value-display';

/**
 * URL indicators, in the WHATWG URL serialisation (scheme and host lower case, IDN host in punycode,
 * default port removed, dot segments resolved, empty path '/') with percent-encoding normalised as
 * RFC 3986 §6.2.2 describes: escapes in upper case, escapes of unreserved characters decoded.
 */

export const URL_SCHEMES = ['http', 'https', 'ftp', 'ftps', 'ws', 'wss'] as const;
export const MAX_URL_LENGTH = 4096;

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** `example.com:8080/x`: a host and port without a scheme, which would otherwise read as scheme `example.com`. */
const HOST_AND_PORT = /^[^:/?#]+:[0-9]+(?:[/?#]|$)/;
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9._~-]$/;
const FTPS_DEFAULT_PORT = '990';

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function normalisePercentEncoding(href: string): string {
  return href.replace(ESCAPE, (_escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * ftps is not a WHATWG special scheme, so URL would leave its host as given. It is read as ftp
 * (the same host and path rules), then written back with its own scheme and its own default port.
 */
function ftpsHref(text: string): string | undefined {
  const asFtp = parse(`ftp${text.slice('ftps'.length)}`);
  const asGiven = parse(text);
  if (asFtp === undefined || asGiven === undefined) return undefined;
  const port = asGiven.port === FTPS_DEFAULT_PORT ? '' : asGiven.port;
  const credentials = asFtp.username === '' && asFtp.password === '' ? '' : `${asFtp.username}${asFtp.password === '' ? '' : `:${asFtp.password}`}@`;
  return `ftps://${credentials}${asFtp.hostname}${port === '' ? '' : `:${port}`}${asFtp.pathname}${asFtp.search}${asFtp.hash}`;
}

/** Normalises a URL; `text` is already trimmed. */
export function normaliseUrl(text: string): ValueCheck<string> {
  if (text === '') return { ok: false, message: 'is empty; send an absolute URL such as https://example.com/path' };
  const blank = WHITESPACE_OR_CONTROL.exec(text);
  if (blank) {
    return {
      ok: false,
      message: `contains ${codePointName(blank[0])} at position ${blank.index}; a URL has no whitespace or control characters (percent-encode them, e.g. %20 for a space)`,
    };
  }
  const scheme = HOST_AND_PORT.test(text) ? undefined : SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { ok: false, message: `${quoted(text)} has no scheme; send an absolute URL such as http://${text.length > 40 ? 'example.com/' : text}` };
  if (!(URL_SCHEMES as readonly string[]).includes(scheme)) {
    return { ok: false, message: `scheme ${quoted(scheme)} is not accepted; send a URL with one of ${URL_SCHEMES.join(', ')}` };
  }
  const href = scheme === 'ftps' ? ftpsHref(text) : parse(text)?.href;
  if (href === undefined) return { ok: false, message: `${quoted(text)} is not a valid URL (check the host name, the port and the brackets around an IPv6 address)` };
  const parsed = parse(href);
  if (parsed === undefined || parsed.hostname === '') return { ok: false, message: `${quoted(text)} has no host; send a URL such as ${scheme}://example.com/path` };
  const normalised = normalisePercentEncoding(href);
  if (normalised.length > MAX_URL_LENGTH) {
    return { ok: false, message: `is ${normalised.length} characters long after normalisation; a URL indicator has at most ${MAX_URL_LENGTH}` };
  }
  return { ok: true, value: normalised };
}
