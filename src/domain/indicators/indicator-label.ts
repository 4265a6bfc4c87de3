import type { HashAlgorithm, IndicatorKind } from './indicator-kinds';
import { shortened } from './value-display';

/** Short human names for indicators, such as "C2 IP 198.51.100.7" or "SHA-256 9f86…". */

export const MAX_LABEL_LENGTH = 80;

const PREFIXES: Readonly<Record<Exclude<IndicatorKind, 'file-hash'>, string>> = Object.freeze({
  'email-sender-ip': 'E-mail sender IP',
  'email-from': 'E-mail from',
  'email-subject': 'E-mail subject',
  'email-attachment-name': 'E-mail attachment',
  'c2-hostname': 'C2 host',
  'c2-ip': 'C2 IP',
  url: 'URL',
});

export function indicatorLabel(kind: IndicatorKind, value: string, algorithm?: HashAlgorithm): string {
  const shown = kind === 'email-subject' || kind === 'email-attachment-name' ? `"${value}"` : value;
  const prefix = kind === 'file-hash' ? (algorithm ?? 'File hash') : PREFIXES[kind];
  return shortened(`${prefix} ${shown}`, MAX_LABEL_LENGTH);
}
