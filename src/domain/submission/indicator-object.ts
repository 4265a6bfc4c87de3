import { canonicalJson } from '../canonical-json';
import { HUB_EXTENSION_ID } from '../hub-extension';
import type { IndicatorKind, NormalisedIndicator } from '../indicators';
import type { TlpLevel } from '../tenancy';
import { TLP2_MARKING_REFS } from '../tlp';
import { INTENTIONAL_PROPERTY } from '../warning-lists';
import { KILL_CHAIN_NAME, type KillChainPhase } from './submission-document';

/**
 * The STIX 2.1 indicator the hub writes for one submitted value. Its content (everything but id,
 * created and modified) is a pure function of the value and the submission's settings, so a repeated
 * submission is recognised as unchanged by comparing contents.
 */

export interface IndicatorSettings {
  readonly providerIdentityId: string;
  readonly tlp: TlpLevel;
  /** Named recipients of a TLP:RED indicator (hub organization ids, sorted); empty otherwise. */
  readonly recipients: readonly string[];
  readonly confidence?: number;
  /** STIX timestamps. */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly killChainPhase?: KillChainPhase;
  readonly description?: string;
  /** The provider means it to be blocked even if the value is on a warning list (stored as `intentional: true`). */
  readonly intentional?: boolean;
}

/** Lifecycle states a version carries in the hub extension (expiry is computed, never stored). */
export type StoredIndicatorState = 'active' | 'revoked' | 'benign';

/** The kill-chain phase an indicator of this kind gets when the submission names none. */
export function defaultKillChainPhase(kind: IndicatorKind): KillChainPhase | undefined {
  if (kind.startsWith('email-')) return 'delivery';
  if (kind.startsWith('c2-')) return 'command-and-control';
  return undefined;
}

type StixObject = Record<string, unknown>;

/**
 * What an indicator of each kind stands for, its description when the submission gives none (STIX
 * best practice, which the OASIS validator checks in strict mode, wants both name and description).
 */
export const KIND_DESCRIPTIONS: Readonly<Record<IndicatorKind, string>> = {
  'email-sender-ip': 'The IP address a targeted-attack mail was sent from.',
  'email-from': 'The From address of a targeted-attack mail.',
  'email-subject': 'The subject of a targeted-attack mail.',
  'email-attachment-name': 'The file name of a targeted-attack mail attachment.',
  'c2-hostname': 'A host name of a command-and-control server.',
  'c2-ip': 'An IP address of a command-and-control server.',
  url: 'A URL used in an attack.',
  'file-hash': 'A hash of a malicious file.',
};

/** The indicator's properties other than type, spec_version, id, created and modified. */
export function indicatorContent(indicator: NormalisedIndicator, settings: IndicatorSettings): StixObject {
  const phase = settings.killChainPhase ?? defaultKillChainPhase(indicator.kind);
  const extension: Record<string, unknown> = {
    extension_type: 'property-extension',
    kind: indicator.kind,
    ...(indicator.algorithm !== undefined ? { hash_algorithm: indicator.algorithm } : {}),
    state: 'active' satisfies StoredIndicatorState,
    ...(settings.tlp === 'red' ? { red_recipients: [...settings.recipients] } : {}),
    ...(settings.intentional === true ? { [INTENTIONAL_PROPERTY]: true } : {}),
  };
  return {
    created_by_ref: settings.providerIdentityId,
    name: indicator.label,
    description: settings.description ?? KIND_DESCRIPTIONS[indicator.kind],
    indicator_types: ['malicious-activity'],
    pattern: indicator.pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: settings.validFrom,
    valid_until: settings.validUntil,
    ...(phase !== undefined ? { kill_chain_phases: [{ kill_chain_name: KILL_CHAIN_NAME, phase_name: phase }] } : {}),
    ...(settings.confidence !== undefined ? { confidence: settings.confidence } : {}),
    object_marking_refs: [TLP2_MARKING_REFS[settings.tlp]],
    extensions: { [HUB_EXTENSION_ID]: extension },
  };
}

/** One version of an indicator: its identity and timestamps, then its content. */
export function indicatorVersion(id: string, created: string, modified: string, content: StixObject): StixObject {
  return { type: 'indicator', spec_version: '2.1', id, created, modified, ...content };
}

const VERSION_FIELDS = new Set(['type', 'spec_version', 'id', 'created', 'modified']);

/** Whether a stored version has exactly this content (key order aside). */
export function hasContent(stored: Readonly<StixObject>, content: Readonly<StixObject>): boolean {
  const storedContent = Object.fromEntries(Object.entries(stored).filter(([key]) => !VERSION_FIELDS.has(key)));
  return canonicalJson(storedContent) === canonicalJson(content);
}

/** A STIX timestamp with millisecond precision (what created and modified must carry). */
export function stixMillis(millis: number): string {
  return new Date(millis).toISOString();
}

/**
 * The `modified` of a new version: now, or one millisecond after the previous version when the clock
 * has not moved past it (versions must rise strictly).
 */
export function nextModified(nowMillis: number, previousVersionMicros: number): string {
  return stixMillis(Math.max(nowMillis, Math.floor(previousVersionMicros / 1000) + 1));
}
