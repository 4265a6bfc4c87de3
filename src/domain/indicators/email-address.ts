import { isIP } from 'node:net';
import { normaliseHostName } from './host-name';
import type { ValueCheck } from './indicator-kinds';
import { quoted } from './value-display';

/**
 * E-mail sender addresses: a bare RFC 5322 addr-spec `local@domain` with a dot-atom local part
 * (kept as given: its case may matter to the receiving system) and a host-name domain (lower case,
 * punycode). Display names, quoted local parts and domain literals are refused.
 */

const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;
/** RFC 5322 §3.2.3 atext. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;

function localPartProblem(local: string): string | undefined {
  if (local === '') return 'has nothing before the @';
  if (local.startsWith('"')) return 'has a quoted local part; only dot-atom local parts (such as first.last) are accepted';
  if (local.startsWith('.') || local.endsWith('.')) return `has a local part ${quoted(local)} that starts or ends with '.'`;
  if (local.includes('..')) return `has a local part ${quoted(local)} with two dots in a row`;
  for (const atom of local.split('.')) {
    if (!ATEXT.test(atom)) {
      const bad = Array.from(atom).find((char) => !ATEXT.test(char)) ?? atom;
      return `has a local part ${quoted(local)} containing ${quoted(bad)}, which an unquoted RFC 5322 local part cannot contain`;
    }
  }
  if (local.length > MAX_LOCAL) return `has a local part of ${local.length} characters; it has at most ${MAX_LOCAL}`;
  return undefined;
}

/** Normalises a sender address; `text` is already trimmed. */
export function normaliseEmailAddress(text: string): ValueCheck<string> {
  if (text === '') return { ok: false, message: 'is empty; send an address such as eve@example.com' };
  const angle = /<([^<>]*)>/.exec(text);
  if (angle || text.includes('<') || text.includes('>')) {
    const address = angle?.[1]?.trim() ?? '';
    const hint = address.includes('@') ? `, e.g. ${quoted(address)}` : '';
    return { ok: false, message: `${quoted(text)} has a display name or angle brackets; send only the address${hint}` };
  }
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, message: `${quoted(text)} has no '@'; send an address such as eve@example.com` };
  const local = text.slice(0, at);
  const domainText = text.slice(at + 1);
  const localProblem = localPartProblem(local);
  if (localProblem !== undefined) return { ok: false, message: `${quoted(text)} ${localProblem}` };
  if (domainText === '') return { ok: false, message: `${quoted(text)} has nothing after the @` };
  if (domainText.startsWith('[') || isIP(domainText) !== 0) {
    return { ok: false, message: `${quoted(text)} has an IP address as its domain; only domain names are accepted` };
  }
  const domain = normaliseHostName(domainText);
  if (!domain.ok) {
    const reason = domain.reason === 'ip-address' ? 'is an IP address; only domain names are accepted' : `is invalid: ${domain.message}`;
    return { ok: false, message: `the domain of ${quoted(text)} ${reason}` };
  }
  const address = `${local}@${domain.value}`;
  if (address.length > MAX_ADDRESS) return { ok: false, message: `${quoted(address)} is ${address.length} characters long; an address has at most ${MAX_ADDRESS}` };
  return { ok: true, value: address };
}
