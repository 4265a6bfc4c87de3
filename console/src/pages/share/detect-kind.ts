import type { IndicatorKind } from './hub-types';

/**
 * The kind a pasted value most likely is, so a list of mixed values needs no kind per line. The hub
 * still judges every value (its own messages); this only picks what to ask it. Addresses are taken
 * as C2 addresses and hashes by their length (64 hex digits: SHA-256, 128: SHA-512).
 */
export type Detected = { readonly kind: IndicatorKind; readonly algorithm?: string } | undefined;

const HASH_BY_LENGTH: Readonly<Record<number, string>> = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256', 128: 'SHA-512' };

export function detectKind(text: string): Detected {
  const value = text.trim();
  if (value === '') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^hxxps?:/i.test(value)) return { kind: 'url' };
  if (/^[0-9a-f]+$/i.test(value) && HASH_BY_LENGTH[value.length] !== undefined) return { kind: 'file-hash', algorithm: HASH_BY_LENGTH[value.length] };
  if (/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(value) || (/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(value) && value.includes(':'))) return { kind: 'c2-ip' };
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return { kind: 'email-from' };
  if (/^[^\s/\\]+\.[^\s/\\]+$/.test(value)) return { kind: 'c2-hostname' };
  return undefined;
}
