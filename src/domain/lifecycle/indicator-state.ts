import { HUB_EXTENSION_ID } from '../hub-extension';
import { formatMicros, parseMicros } from '../timestamps';

/**
 * An indicator's lifecycle (issue 6). Stored states travel in the hub extension of each version:
 * `active`, then at most one final transition to `revoked` (the provider withdraws it) or `benign`
 * (it was true once, no longer). Both final versions carry STIX `revoked: true`, so every consumer
 * stops using them; the extension tells the two apart. `expired` is computed, never stored: an
 * active indicator whose valid_until has passed.
 */

export type IndicatorState = 'active' | 'revoked' | 'benign' | 'expired';
export type Transition = { readonly to: 'revoked'; readonly reason?: string } | { readonly to: 'benign'; readonly reason: string };

type StixObject = Readonly<Record<string, unknown>>;

/** The audit actions of the lifecycle (entity type 'indicator', entity id the STIX id). */
export const LIFECYCLE_ACTIONS = { revoked: 'indicator.revoke', benign: 'indicator.benign', purge: 'indicator.purge' } as const;

function hubExtension(object: StixObject): Record<string, unknown> | undefined {
  const extensions = object.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const extension = (extensions as Record<string, unknown>)[HUB_EXTENSION_ID];
  return typeof extension === 'object' && extension !== null && !Array.isArray(extension) ? (extension as Record<string, unknown>) : undefined;
}

/** The state of one version as of `nowMicros`. A revoked version without the hub's state is `revoked`. */
export function stateOf(object: StixObject, nowMicros: number): IndicatorState {
  if (object.revoked === true) return hubExtension(object)?.state === 'benign' ? 'benign' : 'revoked';
  const until = typeof object.valid_until === 'string' ? parseMicros(object.valid_until) : undefined;
  return until !== undefined && until <= nowMicros ? 'expired' : 'active';
}

/** The reason a version gives for its state, when it gives one. */
export function stateReasonOf(object: StixObject): string | undefined {
  const reason = hubExtension(object)?.state_reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The version that records a transition of `head`: the same object with a later `modified`,
 * `revoked: true`, `valid_until` at the transition (never later than it was, never at or before
 * `valid_from`: STIX requires valid_until > valid_from), and the state and reason in the hub extension.
 */
export function transitionVersion(head: StixObject, transition: Transition, modified: string): Record<string, unknown> {
  const at = parseMicros(modified) as number;
  const from = typeof head.valid_from === 'string' ? parseMicros(head.valid_from) : undefined;
  const until = typeof head.valid_until === 'string' ? parseMicros(head.valid_until) : undefined;
  let end = until !== undefined ? Math.min(until, at) : at;
  if (from !== undefined && end <= from) end = from + 1000;
  const { state_reason: _previousReason, ...kept } = hubExtension(head) ?? {};
  const extension = { extension_type: 'property-extension', ...kept, state: transition.to, ...(transition.reason !== undefined ? { state_reason: transition.reason } : {}) };
  const extensions = { ...((head.extensions as Record<string, unknown> | undefined) ?? {}), [HUB_EXTENSION_ID]: extension };
  return { ...head, modified, revoked: true, valid_until: formatMicros(end), extensions };
}
