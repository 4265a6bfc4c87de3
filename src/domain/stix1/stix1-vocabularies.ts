import { hashAlgorithm } from '../indicators/file-hash';
import type { HashAlgorithm, IndicatorKind } from '../indicators';
import { KILL_CHAIN_NAME } from '../submission/submission-document';
import type { TlpLevel } from '../tlp';

/**
 * The value tables of the bridge: TLP colours, confidence bands, indicator types, hash names and the
 * Lockheed Martin kill chain, each in both directions.
 */

/** STIX 1.x knows TLP 1.0 only: CLEAR is written WHITE, AMBER+STRICT is written AMBER (its restriction is lost). */
export const TLP_COLOR_OF_LEVEL: Readonly<Record<TlpLevel, 'WHITE' | 'GREEN' | 'AMBER' | 'RED'>> = Object.freeze({
  clear: 'WHITE',
  green: 'GREEN',
  amber: 'AMBER',
  'amber+strict': 'AMBER',
  red: 'RED',
});

const LEVEL_OF_TLP_COLOR: Readonly<Record<string, TlpLevel>> = Object.freeze({ WHITE: 'clear', GREEN: 'green', AMBER: 'amber', RED: 'red' });

/** The TLP 2.0 level of a TLPMarkingStructureType colour (case-insensitive), undefined for anything else. */
export function levelOfTlpColor(color: string): TlpLevel | undefined {
  return LEVEL_OF_TLP_COLOR[color.trim().toUpperCase()];
}

export type Stix1Confidence = 'High' | 'Medium' | 'Low' | 'None';

/** STIX 2.1 Appendix A's None/Low/Med/High scale: 0 None, 1-29 Low, 30-69 Medium, 70-100 High. */
export function confidenceWord(value: number): Stix1Confidence {
  if (value <= 0) return 'None';
  if (value < 30) return 'Low';
  if (value < 70) return 'Medium';
  return 'High';
}

const CONFIDENCE_VALUES: Readonly<Record<string, number>> = Object.freeze({ high: 85, medium: 50, low: 15, none: 0 });

/** The STIX 2.1 confidence of a HighMediumLowVocab word (High 85, Medium 50, Low 15, None 0); undefined otherwise (Unknown included). */
export function confidenceValue(word: string): number | undefined {
  return CONFIDENCE_VALUES[word.trim().toLowerCase()];
}

/** IndicatorTypeVocab-1.1 values the hub writes for each kind, in this order. */
export const INDICATOR_TYPES_OF_KIND: Readonly<Record<IndicatorKind, readonly string[]>> = Object.freeze({
  'email-sender-ip': ['Malicious E-mail'],
  'email-from': ['Malicious E-mail'],
  'email-subject': ['Malicious E-mail'],
  'email-attachment-name': ['Malicious E-mail'],
  'c2-hostname': ['Domain Watchlist', 'C2'],
  'c2-ip': ['IP Watchlist', 'C2'],
  url: ['URL Watchlist'],
  'file-hash': ['File Hash Watchlist'],
});

/** IndicatorTypeVocab-1.1 values and the STIX 2.1 indicator_types the hub reads them as. */
const INDICATOR_TYPE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'malicious e-mail': 'malicious-email',
  'ip watchlist': 'ip-watchlist',
  'domain watchlist': 'domain-watchlist',
  'url watchlist': 'url-watchlist',
  'file hash watchlist': 'file-hash-watchlist',
  c2: 'command-and-control',
  anonymization: 'anonymization',
  exfiltration: 'exfiltration',
  'host characteristics': 'host-characteristics',
  'compromised pki certificate': 'compromised-pki-certificate',
  'login name': 'login-name',
  'malware artifacts': 'malware-artifacts',
  'imei watchlist': 'imei-watchlist',
  'imsi watchlist': 'imsi-watchlist',
});

/** The indicator_type of an IndicatorTypeVocab-1.1 value; undefined for free text outside the vocabulary. */
export function indicatorTypeOf(stix1Type: string): string | undefined {
  return INDICATOR_TYPE_NAMES[stix1Type.trim().toLowerCase()];
}

/** HashNameVocab-1.0 names for the hub's algorithms; SHA3 has no name there and is written as free text. */
export const HASH_NAME_OF_ALGORITHM: Readonly<Record<HashAlgorithm, { readonly name: string; readonly inVocabulary: boolean }>> = Object.freeze({
  MD5: { name: 'MD5', inVocabulary: true },
  'SHA-1': { name: 'SHA1', inVocabulary: true },
  'SHA-256': { name: 'SHA256', inVocabulary: true },
  'SHA-512': { name: 'SHA512', inVocabulary: true },
  'SHA3-256': { name: 'SHA3-256', inVocabulary: false },
  'SHA3-512': { name: 'SHA3-512', inVocabulary: false },
});

/** The hub algorithm of a hash Type (MD5, SHA1, SHA256, SHA-256, SHA3-256...), undefined when the hub takes no such hash. */
export function algorithmOfHashName(name: string): HashAlgorithm | undefined {
  const found = hashAlgorithm(name);
  return found.ok ? found.value : undefined;
}

const ALGORITHM_OF_LENGTH: Readonly<Record<number, HashAlgorithm>> = Object.freeze({ 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256', 128: 'SHA-512' });

/** A hash without Type is read by its length (never as SHA3, whose lengths SHA-256 and SHA-512 share). */
export function algorithmOfHashLength(value: string): HashAlgorithm | undefined {
  return /^[0-9a-fA-F]+$/.test(value.trim()) ? ALGORITHM_OF_LENGTH[value.trim().length] : undefined;
}

/** How STIX 1.x names the Lockheed Martin kill chain and its phases (stix.common.kill_chains.lmco). */
export const LM_KILL_CHAIN_NAME = 'LM Cyber Kill Chain';
const LM_PHASE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  reconnaissance: 'Reconnaissance',
  weaponization: 'Weaponization',
  delivery: 'Delivery',
  exploitation: 'Exploitation',
  installation: 'Installation',
  'command-and-control': 'Command and Control',
  'actions-on-objectives': 'Actions on Objectives',
});

export interface KillChainPhase21 {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

/** A STIX 2.1 kill-chain phase as STIX 1.x writes it (the hub's Lockheed Martin chain in its STIX 1.x names). */
export function stix1KillChainPhase(phase: KillChainPhase21): { readonly killChainName: string; readonly name: string } {
  if (phase.kill_chain_name === KILL_CHAIN_NAME) {
    return { killChainName: LM_KILL_CHAIN_NAME, name: LM_PHASE_NAMES[phase.phase_name] ?? phase.phase_name };
  }
  return { killChainName: phase.kill_chain_name, name: phase.phase_name };
}

/** STIX 2.1 names are lower case with hyphens for spaces. */
function stix21Name(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/** A STIX 1.x kill-chain phase as STIX 2.1 writes it ("LM Cyber Kill Chain" is the hub's lockheed-martin-cyber-kill-chain). */
export function stix21KillChainPhase(killChainName: string, name: string): KillChainPhase21 {
  const chain = stix21Name(killChainName);
  const isLm = chain === stix21Name(LM_KILL_CHAIN_NAME) || chain === 'lockheed-martin-cyber-kill-chain' || chain === 'lmco-cyber-kill-chain';
  return { kill_chain_name: isLm ? KILL_CHAIN_NAME : chain, phase_name: stix21Name(name) };
}
