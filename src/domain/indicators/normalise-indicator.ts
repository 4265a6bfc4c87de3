import { forbiddenCharacterProblem } from './character-checks';
import { defangingProblem } from './defanged-values';
import { normaliseEmailAddress } from './email-address';
import { hashAlgorithm, normaliseHash } from './file-hash';
import { checkAttachmentName, checkSubject } from './free-text';
import { normaliseHostName } from './host-name';
import { indicatorLabel } from './indicator-label';
import { indicatorPattern, type PatternSubject } from './indicator-pattern';
import {
  HASH_ALGORITHMS,
  INDICATOR_KINDS,
  isIndicatorKind,
  type HashAlgorithm,
  type IndicatorInput,
  type IndicatorKind,
  type Normalisation,
  type ObservableType,
  type ValueCheck,
} from './indicator-kinds';
import { normaliseIpAddress } from './ip-address';
import { normaliseUrl } from './url-value';

/**
 * Turns a provider-submitted indicator into its canonical value (with kind and algorithm, the
 * deduplication key), its STIX 2.1 pattern and a label, or says which field is wrong and why.
 */

interface Canonical {
  readonly observableType: ObservableType;
  readonly subject: PatternSubject;
}

function refuse(field: 'value' | 'algorithm', message: string): Normalisation {
  return { ok: false, field, message };
}

function canonical(check: ValueCheck, observableType: ObservableType, kind: Exclude<PatternSubject['kind'], 'ip-address' | 'file-hash'>): ValueCheck<Canonical> {
  return check.ok ? { ok: true, value: { observableType, subject: { kind, value: check.value } } } : check;
}

function ipCanonical(text: string): ValueCheck<Canonical> {
  const ip = normaliseIpAddress(text);
  if (!ip.ok) return ip;
  const { version, network, text: value } = ip.value;
  return { ok: true, value: { observableType: version === 4 ? 'ipv4-addr' : 'ipv6-addr', subject: { kind: 'ip-address', version, network, value } } };
}

function c2HostCanonical(text: string): ValueCheck<Canonical> {
  const host = normaliseHostName(text);
  if (!host.ok && host.reason === 'ip-address') return { ok: false, message: `${host.message}; use kind c2-ip` };
  return canonical(host, 'domain-name', 'c2-hostname');
}

function valueCanonical(kind: Exclude<IndicatorKind, 'file-hash'>, value: string): ValueCheck<Canonical> {
  switch (kind) {
    case 'email-sender-ip':
    case 'c2-ip':
      return ipCanonical(value.trim());
    case 'c2-hostname':
      return c2HostCanonical(value.trim());
    case 'url':
      return canonical(normaliseUrl(value.trim()), 'url', 'url');
    case 'email-from':
      return canonical(normaliseEmailAddress(value.trim()), 'email-addr', 'email-from');
    case 'email-subject':
      return canonical(checkSubject(value), 'email-message', 'email-subject');
    case 'email-attachment-name':
      return canonical(checkAttachmentName(value), 'email-message', 'email-attachment-name');
  }
}

function accepted(kind: IndicatorKind, found: Canonical, algorithm?: HashAlgorithm): Normalisation {
  const { value } = found.subject;
  return {
    ok: true,
    indicator: {
      kind,
      value,
      ...(algorithm === undefined ? {} : { algorithm }),
      pattern: indicatorPattern(found.subject),
      observableType: found.observableType,
      label: indicatorLabel(kind, value, algorithm),
    },
  };
}

function normaliseFileHash(value: string, algorithmGiven: unknown): Normalisation {
  if (algorithmGiven === undefined || algorithmGiven === null) {
    return refuse('algorithm', `is required for kind file-hash; send one of ${HASH_ALGORITHMS.join(', ')}`);
  }
  if (typeof algorithmGiven !== 'string') return refuse('algorithm', `must be a string, one of ${HASH_ALGORITHMS.join(', ')}`);
  const algorithm = hashAlgorithm(algorithmGiven);
  if (!algorithm.ok) return refuse('algorithm', algorithm.message);
  const hash = normaliseHash(algorithm.value, value.trim());
  if (!hash.ok) return refuse('value', hash.message);
  const subject: PatternSubject = { kind: 'file-hash', algorithm: algorithm.value, value: hash.value };
  return accepted('file-hash', { observableType: 'file', subject }, algorithm.value);
}

/** Never throws, whatever it is given (callers outside TypeScript may pass anything). */
export function normaliseIndicator(input: IndicatorInput): Normalisation {
  const given: Partial<Record<keyof IndicatorInput, unknown>> = typeof input === 'object' && input !== null ? input : {};
  const { kind, value, algorithm } = given;
  if (!isIndicatorKind(kind)) return refuse('value', `cannot be checked: kind ${typeof kind === 'string' ? JSON.stringify(kind) : typeof kind} is not one of ${INDICATOR_KINDS.join(', ')}`);
  if (typeof value !== 'string') return refuse('value', 'must be a string');
  if (kind !== 'file-hash' && algorithm !== undefined && algorithm !== null) {
    return refuse('algorithm', `is only for kind file-hash; leave it out for kind ${kind}`);
  }
  const forbidden = forbiddenCharacterProblem(value);
  if (forbidden !== undefined) return refuse('value', forbidden);
  if (kind === 'file-hash') return normaliseFileHash(value, algorithm);
  const defanged = kind === 'email-subject' || kind === 'email-attachment-name' ? undefined : defangingProblem(value.trim());
  if (defanged !== undefined) return refuse('value', defanged);
  const found = valueCanonical(kind, value);
  return found.ok ? accepted(kind, found.value) : refuse('value', found.message);
}
