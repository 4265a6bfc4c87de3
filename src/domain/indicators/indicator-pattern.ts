import type { HashAlgorithm } from './indicator-kinds';

/** The STIX 2.1 patterns (STIX 2.1 §9) the hub writes for normalised indicator values. */

/** The value as a STIX pattern string literal, quotes included: `\` is written `\\` and `'` is written `\'`. */
export function stixStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** What a pattern compares: the object path depends on the kind, the operator on whether an IP value is a network. */
export type PatternSubject =
  | { readonly kind: 'ip-address'; readonly version: 4 | 6; readonly network: boolean; readonly value: string }
  | { readonly kind: 'email-from' | 'email-subject' | 'email-attachment-name' | 'c2-hostname' | 'url'; readonly value: string }
  | { readonly kind: 'file-hash'; readonly algorithm: HashAlgorithm; readonly value: string };

const OBJECT_PATHS = {
  'email-from': 'email-message:from_ref.value',
  'email-subject': 'email-message:subject',
  'email-attachment-name': 'email-message:body_multipart[*].body_raw_ref.name',
  'c2-hostname': 'domain-name:value',
  url: 'url:value',
} as const;

export function indicatorPattern(subject: PatternSubject): string {
  const literal = stixStringLiteral(subject.value);
  switch (subject.kind) {
    case 'ip-address':
      return `[ipv${subject.version}-addr:value ${subject.network ? 'ISSUBSET' : '='} ${literal}]`;
    case 'file-hash':
      return `[file:hashes.${stixStringLiteral(subject.algorithm)} = ${literal}]`;
    default:
      return `[${OBJECT_PATHS[subject.kind]} = ${literal}]`;
  }
}
